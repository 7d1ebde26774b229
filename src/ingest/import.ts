import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Store } from '../db/connect.ts';
import { byEngine } from '../db/engine.ts';
import type { Logger } from '../log.ts';
import { type CompactionResult, compactIfFragmented } from '../search/compaction.sqlite.ts';
import { type BulkLoad, beginBulkLoad, bulkLoadApplies } from './bulk-load.postgres.ts';
import type { ImportFormat } from './detect-format.ts';
import { createImportWriter } from './import.store.ts';
import type { BatchCounts } from './import-rules.ts';
import { type ParsedBatch, parseFile, type Rejection } from './parse-file.ts';

export type { Rejection };

export interface ImportCounts extends BatchCounts {
  read: number;
  rejected: number;
}

export interface ImportSummary extends ImportCounts {
  files: number;
  /** the first rejections, for the screen; all of them are in reportPath */
  firstRejections: Rejection[];
  reportPath: string | null;
  interrupted: boolean;
  seconds: number;
  /** the search index's segments merged after a large import (SQLite), or null when it needed none */
  compaction: CompactionResult | null;
  /** PostgreSQL's bulk-load mode (bulk-load.postgres.ts): the search indexes it re-built and how long it took */
  searchIndexBuild: { indexes: string[]; seconds: number } | null;
}

/** What the command line shows while an import runs. */
export interface ImportProgress {
  start(totalBytes: number): void;
  advance(bytesRead: number, counts: ImportCounts): void;
  stop(): void;
  /** the records are in; the search index is being compacted (compaction.sqlite.ts) */
  compacting?(): void;
  /** the records are in; the search indexes dropped for a bulk load are being built (bulk-load.postgres.ts) */
  buildingSearchIndex?(indexes: string[]): void;
}

export interface ImportOptions {
  format?: ImportFormat | undefined;
  batchSize: number;
  reportDir: string;
  log: Logger;
  progress?: ImportProgress;
  /** polled between batches: true stops after the current batch is committed */
  shouldStop?: () => boolean;
  /** parse on a worker thread while this one writes (default); false parses in this thread */
  parallel?: boolean;
  /**
   * PostgreSQL's bulk-load mode: undefined decides by the rule of bulk-load.postgres.ts (large files, few stored
   * papers), true or false forces it. Ignored on SQLite.
   */
  bulkLoad?: boolean;
  /** called after each batch is committed (tests inject failures here) */
  afterBatch?: (counts: ImportCounts) => void | Promise<void>;
}

const SHOWN_REJECTIONS = 10;

/**
 * Imports files of arXiv metadata (Kaggle snapshot JSON lines) and Hugging Face daily papers
 * (API JSON arrays or JSON lines), plain or gzip. Streams, commits one batch per transaction,
 * reports bad records with file, line and reason, and goes on.
 */
export async function importFiles(
  store: Store,
  paths: string[],
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const writer = createImportWriter(store);
  const counts: ImportCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  const firstRejections: Rejection[] = [];
  let report: WriteStream | null = null;
  let reportPath: string | null = null;
  let interrupted = false;

  const sizes = await Promise.all(paths.map(async (p) => (await stat(p).catch(() => null))?.size ?? 0));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const bulk = await maybeBeginBulkLoad(store, totalBytes, options);
  options.progress?.start(totalBytes);
  let progressStopped = false;
  const stopProgress = () => {
    if (!progressStopped) options.progress?.stop();
    progressStopped = true;
  };
  let searchIndexBuild: ImportSummary['searchIndexBuild'] = null;

  const recordRejections = async (rejections: Rejection[]) => {
    for (const rejection of rejections) {
      counts.rejected++;
      if (firstRejections.length < SHOWN_REJECTIONS) firstRejections.push(rejection);
      if (!report) {
        await mkdir(options.reportDir, { recursive: true });
        reportPath = join(options.reportDir, `import-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
        report = createWriteStream(reportPath);
      }
      report.write(`${rejection.file}:${rejection.line}: ${rejection.reason}\n`);
    }
  };

  const source = options.parallel === false ? inThreadSource(options) : workerSource(options);
  let doneBytes = 0;
  try {
    for (const [index, path] of paths.entries()) {
      for await (const batch of source.parse(path)) {
        const result =
          batch.format === 'kaggle'
            ? await writer.writeArxivBatch(batch.items)
            : await writer.writeHfBatch(batch.items);
        counts.read += batch.read;
        counts.inserted += result.inserted;
        counts.updated += result.updated;
        counts.unchanged += result.unchanged;
        await recordRejections(batch.rejections);
        options.progress?.advance(doneBytes + batch.bytes, counts);
        await options.afterBatch?.(counts);
        if (options.shouldStop?.()) {
          interrupted = true;
          break;
        }
      }
      const rejectedFile = firstRejections.find((r) => r.file === path && r.line === 0);
      if (rejectedFile)
        options.log.warn({ file: path, reason: rejectedFile.reason }, 'could not read the whole file');
      doneBytes += sizes[index] ?? 0;
      options.progress?.advance(doneBytes, counts);
      if (interrupted) break;
    }
  } finally {
    try {
      await source.close();
    } finally {
      // whatever happened to the load (an error, Ctrl-C), the search indexes come back before the command ends
      if (bulk) {
        stopProgress();
        options.progress?.buildingSearchIndex?.(bulk.dropped);
        searchIndexBuild = await bulk.finish();
        options.log.info(searchIndexBuild, 'search indexes built after the bulk load');
      }
    }
  }

  stopProgress();
  const compaction = interrupted ? null : await compactAfterImport(store, options);
  const openReport = report as WriteStream | null;
  if (openReport) await new Promise<void>((resolve) => openReport.end(resolve));
  return {
    ...counts,
    files: paths.length,
    firstRejections,
    reportPath,
    interrupted,
    seconds: (performance.now() - started) / 1000,
    compaction,
    searchIndexBuild,
  };
}

/** PostgreSQL: drops the search indexes for a large import into an empty or small database (D63); else null. */
async function maybeBeginBulkLoad(
  store: Store,
  totalBytes: number,
  options: ImportOptions,
): Promise<BulkLoad | null> {
  return await byEngine<Promise<BulkLoad | null>>(store, {
    sqlite: async () => null,
    postgres: async (pg) => {
      const applies = options.bulkLoad ?? (await bulkLoadApplies(pg.db, totalBytes));
      if (!applies) return null;
      const bulk = await beginBulkLoad(pg.db);
      if (bulk.dropped.length === 0) return null;
      options.log.info(
        { indexes: bulk.dropped, bytes: totalBytes },
        'bulk load: search indexes dropped, built again once the records are in',
      );
      return bulk;
    },
  });
}

/**
 * After an import that left the SQLite search indexes in many segments (a large one does: one per batch, merged
 * only four at a time), merges them: at 1M papers 15 segments made searches about a quarter slower, and
 * merging took about 15 s of a 4-minute import. A small import into a compacted index leaves it alone.
 */
async function compactAfterImport(store: Store, options: ImportOptions): Promise<CompactionResult | null> {
  // PostgreSQL's GIN index needs no merging
  return await byEngine<Promise<CompactionResult | null>>(store, {
    sqlite: (sqlite) =>
      compactIfFragmented(sqlite, {
        shouldStop: options.shouldStop,
        onStart: () => options.progress?.compacting?.(),
      }),
    postgres: async () => null,
  });
}

interface BatchSource {
  parse(path: string): AsyncIterable<ParsedBatch>;
  close(): Promise<void>;
}

function inThreadSource(options: ImportOptions): BatchSource {
  return { parse: (path) => parseFile(path, options.format, options.batchSize), close: async () => {} };
}

/** Batches parsed on a worker thread; each one acknowledged once written, so the worker stays at most two ahead. */
function workerSource(options: ImportOptions): BatchSource {
  // The parser holds at most a few batches: a small heap keeps the process's memory flat at any file size.
  const worker = new Worker(new URL('./parse-worker-boot.js', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 },
  });
  const queue: ({ type: 'batch'; batch: ParsedBatch } | { type: 'end' } | { type: 'error'; error: Error })[] =
    [];
  let wake: (() => void) | null = null;
  const push = (item: (typeof queue)[number]) => {
    queue.push(item);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (error) => push({ type: 'error', error }));
  return {
    async *parse(path) {
      worker.postMessage({ type: 'file', path, format: options.format, batchSize: options.batchSize });
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const item = queue.shift()!;
        if (item.type === 'end') return;
        if (item.type === 'error') throw item.error;
        try {
          yield item.batch;
        } finally {
          worker.postMessage({ type: 'ack' });
        }
      }
    },
    async close() {
      worker.postMessage({ type: 'stop' });
      await worker.terminate();
    },
  };
}
