import cliProgress from 'cli-progress';
import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { embedMissingPapers } from '../search/embed-papers.ts';
import { createEmbedder } from '../search/embeddings/index.ts';
import { rebuildFullTextIndex } from '../search/reindex.store.ts';
import { rewriteSearchVectors } from '../search/reindex-postgres.store.ts';
import { clearVectors } from '../search/vectors.store.ts';
import { UsageError } from './import-command.ts';

export interface ReindexOptions {
  embeddings?: boolean;
  all?: boolean;
}

/**
 * `paperboy reindex`: rebuilds and compacts the full-text index (on PostgreSQL: rewrites the search vectors in
 * batches). `--embeddings`: gives every paper without a
 * current vector one, with a progress bar (`--all`: every paper again). Ctrl-C stops after the current batch;
 * what was stored stays, and the next run goes on from there.
 */
export async function runReindexCommand(
  store: Store,
  config: Config,
  _log: Logger,
  options: ReindexOptions,
): Promise<void> {
  const out = process.stdout;
  if (store.dialect !== 'sqlite') {
    if (options.embeddings || options.all)
      throw new UsageError('semantic search runs on SQLite only for now: no --embeddings on PostgreSQL');
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    let lastLine = 0;
    const figures = await rewriteSearchVectors(store, {
      signal: controller.signal,
      onProgress: (done, total) => {
        if (Date.now() - lastLine > 2000 || done === total) {
          lastLine = Date.now();
          process.stderr.write(
            `reindex: ${done}/${total} papers (${Math.round((100 * done) / Math.max(1, total))} %)\n`,
          );
        }
      },
    });
    out.write(`Search vectors rewritten: ${figures.papers} papers in ${figures.seconds.toFixed(1)} s\n`);
    return;
  }
  if (!options.embeddings) {
    if (options.all) throw new UsageError('--all goes with --embeddings');
    process.stderr.write('Rebuilding the full-text index…\n');
    const figures = rebuildFullTextIndex(store);
    out.write(`Full-text index rebuilt: ${figures.papers} papers in ${figures.seconds.toFixed(1)} s\n`);
    return;
  }
  const embedder = createEmbedder(config);
  if (!embedder) {
    throw new UsageError(
      'no embedding model is configured: set EMBEDDINGS_PROVIDER (transformers or openai) and EMBEDDINGS_MODEL (docs/configuration.md)',
    );
  }
  if (options.all) clearVectors(store);
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write('\nStopping after the current batch (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stream = process.stderr;
  const bar = stream.isTTY
    ? new cliProgress.SingleBar(
        {
          stream,
          format: '{bar} {percentage}% | {value}/{total} papers | {rate}/s | ETA {eta_formatted}',
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const started = Date.now();
  let lastLine = 0;
  try {
    const result = await embedMissingPapers(store, embedder, {
      batchSize: config.EMBEDDINGS_BATCH_SIZE,
      signal: controller.signal,
      onProgress: ({ done, total }) => {
        const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
        if (bar) {
          if (done === 0) bar.start(Math.max(1, total), 0, { rate: 0 });
          else bar.update(done, { rate });
        } else if (Date.now() - lastLine > 5000 || done === total) {
          lastLine = Date.now();
          stream.write(`reindex: ${done}/${total} papers embedded (${rate}/s)\n`);
        }
      },
    });
    bar?.stop();
    const seconds = (Date.now() - started) / 1000;
    out.write(`Embedded ${result.done} papers with ${embedder.id} in ${seconds.toFixed(1)} s\n`);
    if (controller.signal.aborted) {
      out.write('Interrupted: the vectors so far are stored. Run the same command again to go on.\n');
      process.exitCode = 130;
    }
  } catch (err) {
    bar?.stop();
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
