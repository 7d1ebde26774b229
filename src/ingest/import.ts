import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { dayFromFileName, detectFormat, type ImportFormat } from './detect-format.ts';
import { type HfDailyRecord, parseHfDailyRecord } from './hf-daily.ts';
import { type BatchCounts, createSqliteImportWriter } from './import-sqlite.store.ts';
import { parseKaggleRecord } from './kaggle.ts';
import type { Parsed } from './parsed.ts';
import { type Line, readLines, readWholeFile } from './read-lines.ts';

export interface Rejection {
  file: string;
  line: number;
  reason: string;
}

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
}

/** What the command line shows while an import runs. */
export interface ImportProgress {
  start(totalBytes: number): void;
  advance(bytesRead: number, counts: ImportCounts): void;
  stop(): void;
}

export interface ImportOptions {
  format?: ImportFormat | undefined;
  batchSize: number;
  reportDir: string;
  log: Logger;
  progress?: ImportProgress;
  /** polled between batches: true stops after the current batch is committed */
  shouldStop?: () => boolean;
}

const SHOWN_REJECTIONS = 10;
/** JSON-array files (HF API answers) are read whole; anything larger is refused. */
const MAX_JSON_ARRAY_BYTES = 512 * 1024 * 1024;

class FileFormatError extends Error {}

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
  const writer = createSqliteImportWriter(store.sqlite);
  const counts: ImportCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  const firstRejections: Rejection[] = [];
  let report: WriteStream | null = null;
  let reportPath: string | null = null;
  let interrupted = false;
  let bytesRead = 0;

  const sizes = await Promise.all(paths.map(async (p) => (await stat(p).catch(() => null))?.size ?? 0));
  options.progress?.start(sizes.reduce((a, b) => a + b, 0));

  const rejectLine = async (file: string, line: number, reason: string) => {
    counts.rejected++;
    const rejection = { file, line, reason };
    if (firstRejections.length < SHOWN_REJECTIONS) firstRejections.push(rejection);
    if (!report) {
      await mkdir(options.reportDir, { recursive: true });
      reportPath = join(options.reportDir, `import-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
      report = createWriteStream(reportPath);
    }
    report.write(`${file}:${line}: ${reason}\n`);
  };

  for (const [index, path] of paths.entries()) {
    const fileStart = bytesRead;
    const onBytes = (n: number) => {
      bytesRead += n;
    };
    let arxivBatch: PaperRecord[] = [];
    let hfBatch: HfDailyRecord[] = [];
    const flush = () => {
      const result = arxivBatch.length > 0 ? writer.writeArxivBatch(arxivBatch) : null;
      const hfResult = hfBatch.length > 0 ? writer.writeHfBatch(hfBatch) : null;
      for (const r of [result, hfResult]) {
        if (!r) continue;
        counts.inserted += r.inserted;
        counts.updated += r.updated;
        counts.unchanged += r.unchanged;
      }
      arxivBatch = [];
      hfBatch = [];
      options.progress?.advance(bytesRead, counts);
    };

    try {
      const records = await openRecords(path, options.format, onBytes);
      const fileDay = dayFromFileName(path);
      for await (const item of records.items) {
        counts.read++;
        if (item.error !== undefined) {
          await rejectLine(path, item.line, item.error);
          continue;
        }
        const parsed: Parsed<PaperRecord | HfDailyRecord> =
          records.format === 'kaggle'
            ? parseKaggleRecord(item.value)
            : parseHfDailyRecord(item.value, fileDay);
        if (!parsed.ok) {
          await rejectLine(path, item.line, parsed.reason);
          continue;
        }
        if (records.format === 'kaggle') arxivBatch.push(parsed.value as PaperRecord);
        else hfBatch.push(parsed.value as HfDailyRecord);
        if (arxivBatch.length + hfBatch.length >= options.batchSize) {
          flush();
          if (options.shouldStop?.()) {
            interrupted = true;
            break;
          }
        }
      }
      flush();
    } catch (err) {
      flush();
      const reason = describeReadError(err);
      await rejectLine(path, 0, reason);
      options.log.warn(
        { file: path, reason },
        'could not read the whole file; the rest of the import goes on',
      );
    }
    bytesRead = Math.max(bytesRead, fileStart + (sizes[index] ?? 0));
    options.progress?.advance(bytesRead, counts);
    if (interrupted || options.shouldStop?.()) {
      interrupted = true;
      break;
    }
  }

  options.progress?.stop();
  const openReport = report as WriteStream | null;
  if (openReport) await new Promise<void>((resolve) => openReport.end(resolve));
  return {
    ...counts,
    files: paths.length,
    firstRejections,
    reportPath,
    interrupted,
    seconds: (performance.now() - started) / 1000,
  };
}

type Item =
  | { line: number; value: unknown; error?: undefined }
  | { line: number; value?: undefined; error: string };

/** Opens a file as a sequence of JSON values with their line (or array index) numbers. */
async function openRecords(
  path: string,
  forced: ImportFormat | undefined,
  onBytes: (n: number) => void,
): Promise<{ format: ImportFormat; items: AsyncIterable<Item> }> {
  const lines = readLines(path, onBytes);
  const first = await nextNonEmpty(lines);
  if (!first) return { format: forced ?? 'kaggle', items: empty() };
  if (first.text.trimStart().startsWith('[')) {
    await lines.return(undefined);
    const text = await readWholeFile(path, MAX_JSON_ARRAY_BYTES);
    let array: unknown;
    try {
      array = JSON.parse(text);
    } catch (err) {
      throw new FileFormatError(`not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(array)) throw new FileFormatError('expected a JSON array of records');
    const format = forced ?? detectFormat(array[0]);
    if (!format)
      throw new FileFormatError('cannot tell the format of this file; give --format kaggle or hf-daily');
    return {
      format,
      items: (async function* () {
        for (const [i, value] of array.entries()) yield { line: i + 1, value };
      })(),
    };
  }
  const firstItem = parseLine(first);
  const format = forced ?? (firstItem.error === undefined ? detectFormat(firstItem.value) : null);
  if (!format)
    throw new FileFormatError('cannot tell the format of this file; give --format kaggle or hf-daily');
  return {
    format,
    items: (async function* () {
      yield firstItem;
      for await (const line of lines) if (line.text.trim() !== '') yield parseLine(line);
    })(),
  };
}

function parseLine(line: Line): Item {
  try {
    return { line: line.number, value: JSON.parse(line.text) };
  } catch (err) {
    return { line: line.number, error: `malformed JSON: ${(err as Error).message.slice(0, 200)}` };
  }
}

async function nextNonEmpty(lines: AsyncGenerator<Line>): Promise<Line | null> {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) return null;
    if (value.text.trim() !== '') return value;
  }
}

async function* empty(): AsyncGenerator<Item> {}

function describeReadError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message ?? '')) {
    return 'the gzip file is truncated (unexpected end of file); the records before the damage were imported';
  }
  if (e.code === 'Z_DATA_ERROR')
    return `the gzip file is corrupt (${e.message}); the records before it were imported`;
  if (e.code === 'ENOENT') return 'file not found';
  if (e.code === 'EISDIR') return 'is a directory, not a file';
  if (e.code === 'EACCES') return 'permission denied';
  return e.message ?? String(err);
}
