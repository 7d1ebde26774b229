import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../ingest/detect-format.ts';
import { type ImportSummary, importFiles } from '../ingest/import.ts';
import type { Logger } from '../log.ts';
import { EmbeddingError } from '../search/embeddings/embedder.ts';
import { UsageError } from './command.ts';
import { createImportProgress } from './progress.ts';
import { runReindexCommand } from './reindex-command.ts';

export interface ImportCommandOptions {
  format?: string;
  batchSize?: string;
  report?: string;
}

/**
 * `paperboy import FILE…`: the import, then, with an embedding model, the new papers' vectors (the
 * server also catches up later). Exit code 130 when Ctrl-C stopped it.
 */
export async function runImport(
  store: Store,
  config: Config,
  log: Logger,
  files: string[],
  options: ImportCommandOptions,
): Promise<void> {
  const summary = await runImportCommand(store, config, log, files, options);
  process.exitCode = summary.interrupted ? 130 : 0;
  const embeds = config.EMBEDDINGS_PROVIDER !== 'none';
  if (summary.interrupted || !embeds || summary.inserted + summary.updated === 0) return;
  try {
    await runReindexCommand(store, config, log, { embeddings: true });
  } catch (err) {
    if (!(err instanceof EmbeddingError)) throw err;
    process.stderr.write(
      `paperboy: papers imported, but not embedded: ${err.message}\nRun \`paperboy reindex --embeddings\` when the model is reachable.\n`,
    );
  }
}

/** The import alone, with a progress display: runs the import with a progress display and prints the summary. */
export async function runImportCommand(
  store: Store,
  config: Config,
  log: Logger,
  files: string[],
  options: ImportCommandOptions,
): Promise<ImportSummary> {
  if (files.length === 0) throw new UsageError('give at least one file to import');
  let format: ImportFormat | undefined;
  if (options.format && options.format !== 'auto') {
    if (!(IMPORT_FORMATS as readonly string[]).includes(options.format)) {
      throw new UsageError(`--format must be one of: auto, ${IMPORT_FORMATS.join(', ')}`);
    }
    format = options.format as ImportFormat;
  }
  const batchSize = options.batchSize ? Number(options.batchSize) : config.IMPORT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new UsageError('--batch-size must be a whole number from 1 to 100000');
  }

  let stopRequested = false;
  const onSignal = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    process.stderr.write('\nStopping after the current batch (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await importFiles(store, files, {
      format,
      batchSize,
      reportDir: options.report ?? join(config.DATA_DIR, 'import-reports'),
      log,
      progress: createImportProgress(),
      shouldStop: () => stopRequested,
    });
    printSummary(summary);
    return summary;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printSummary(s: ImportSummary): void {
  const out = process.stdout;
  out.write(
    `\nImported ${s.files} file(s) in ${s.seconds.toFixed(1)} s (${Math.round(s.read / Math.max(s.seconds, 0.001))} records/s)\n` +
      `  read       ${s.read}\n  inserted   ${s.inserted}\n  updated    ${s.updated}\n  unchanged  ${s.unchanged}\n  rejected   ${s.rejected}\n` +
      `  peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`,
  );
  if (s.compaction) {
    const { before, after, seconds, stopped } = s.compaction;
    out.write(
      `  search index compacted in ${seconds.toFixed(1)} s: segments of the full text ${before.papers_fts} → ${after.papers_fts}, of the titles ${before.papers_title_fts} → ${after.papers_title_fts}${stopped ? ' (stopped early: `paperboy serve` finishes it within the hour)' : ''}\n`,
    );
  }
  if (s.searchIndexBuild) {
    out.write(
      `  search index built in ${s.searchIndexBuild.seconds.toFixed(1)} s (bulk load: ${s.searchIndexBuild.indexes.join(', ')} dropped before, built after)\n`,
    );
  }
  if (s.firstRejections.length > 0) {
    out.write('\nRejected records (first ones):\n');
    for (const r of s.firstRejections) out.write(`  ${r.file}:${r.line}: ${r.reason}\n`);
    out.write(`All ${s.rejected} rejections are listed in ${s.reportPath}\n`);
  }
  if (s.interrupted)
    out.write(
      '\nInterrupted: every batch so far is stored. Run the same command again to complete the import.\n',
    );
}
