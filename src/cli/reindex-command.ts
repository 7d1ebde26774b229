import cliProgress from 'cli-progress';
import type { Config } from '../config.ts';
import type { PostgresStore, SqliteStore, Store } from '../db/connect.ts';
import { byEngine } from '../db/engine.ts';
import type { Logger } from '../log.ts';
import { embedMissingPapers } from '../search/embed-papers.ts';
import { createEmbedder } from '../search/embeddings/index.ts';
import { rewriteSearchVectors } from '../search/reindex.postgres.ts';
import { rebuildFullTextIndex } from '../search/reindex.sqlite.ts';
import { paperVectorsOf } from '../search/vectors.store.ts';
import { UsageError } from './command.ts';

export interface ReindexOptions {
  embeddings?: boolean;
  all?: boolean;
}

/**
 * `paperboy reindex`: rebuilds and compacts the full-text index (on PostgreSQL: rewrites the papers' rows, search vectors and layout, in
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
  if (options.embeddings) return embedPapers(store, config, options);
  if (options.all) throw new UsageError('--all goes with --embeddings');
  await byEngine(store, {
    sqlite: (s) => reindexSqlite(s),
    postgres: (s) => reindexPostgres(s),
  });
}

async function reindexPostgres(store: PostgresStore): Promise<void> {
  await inBatches('rewritten', 'the papers so far are rewritten', async (signal, onProgress) => {
    const figures = await rewriteSearchVectors(store, { signal, onProgress });
    return `Papers rewritten (search vectors and row layout): ${figures.papers} papers in ${figures.seconds.toFixed(1)} s`;
  });
}

async function reindexSqlite(store: SqliteStore): Promise<void> {
  process.stderr.write('Rebuilding the full-text index…\n');
  const figures = rebuildFullTextIndex(store);
  process.stdout.write(
    `Full-text index rebuilt: ${figures.papers} papers in ${figures.seconds.toFixed(1)} s\n`,
  );
}

/** `--embeddings` on either engine: vectors into sqlite-vec, or into paper_embeddings on PostgreSQL. */
async function embedPapers(store: Store, config: Config, options: ReindexOptions): Promise<void> {
  const embedder = createEmbedder(config);
  if (!embedder) {
    throw new UsageError(
      'no embedding model is configured: set EMBEDDINGS_PROVIDER (transformers or openai) and EMBEDDINGS_MODEL (docs/configuration.md)',
    );
  }
  if (options.all) await paperVectorsOf(store).clear();
  const started = Date.now();
  await inBatches('embedded', 'the vectors so far are stored', async (signal, onProgress) => {
    const result = await embedMissingPapers(store, embedder, {
      batchSize: config.EMBEDDINGS_BATCH_SIZE,
      signal,
      onProgress: ({ done, total }) => onProgress(done, total),
    });
    const seconds = (Date.now() - started) / 1000;
    return `Embedded ${result.done} papers with ${embedder.id} in ${seconds.toFixed(1)} s`;
  });
}

/**
 * Runs a job over the papers in batches under a progress bar ("… papers `verb`"), prints the summary line it
 * returns, and, when Ctrl-C stopped it after a batch, that `kept` stays and exit code 130.
 */
async function inBatches(
  verb: string,
  kept: string,
  job: (signal: AbortSignal, onProgress: (done: number, total: number) => void) => Promise<string>,
): Promise<void> {
  const stopping = stopOnSignal();
  const progress = papersProgress(verb);
  try {
    const summary = await job(stopping.signal, progress.update);
    progress.stop();
    process.stdout.write(`${summary}\n`);
    if (stopping.signal.aborted) {
      process.stdout.write(`Interrupted: ${kept}. Run the same command again to go on.\n`);
      process.exitCode = 130;
    }
  } finally {
    progress.stop();
    stopping.dispose();
  }
}

/** Ctrl-C (or SIGTERM) stops after the current batch; a second one quits at once. */
function stopOnSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write('\nStopping after the current batch (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Papers done of a total: a bar with rate and ETA on a terminal, a plain line every 5 s otherwise (stderr). */
function papersProgress(verb: string): { update(done: number, total: number): void; stop(): void } {
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
  let barStarted = false;
  let lastLine = 0;
  return {
    update(done, total) {
      const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
      if (bar) {
        if (!barStarted) {
          bar.start(Math.max(1, total), done, { rate });
          barStarted = true;
        } else bar.update(done, { rate });
      } else if (Date.now() - lastLine > 5000 || done === total) {
        lastLine = Date.now();
        stream.write(`reindex: ${done}/${total} papers ${verb} (${rate}/s)\n`);
      }
    },
    stop() {
      if (barStarted) bar?.stop();
      barStarted = false;
    },
  };
}
