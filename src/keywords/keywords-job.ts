import type { Store } from '../db/connect.ts';
import { perEngine } from '../db/engine.ts';
import type { Job } from '../jobs/registry.ts';
import { every } from '../jobs/schedule.ts';
import type { Logger } from '../log.ts';
import { createPostgresKeyphraseStore } from './keyphrases.postgres.ts';
import { createKeyphraseStore } from './keyphrases.sqlite.ts';
import type { KeyphraseWriter } from './keyphrases.store.ts';
import { extractKeyphrases } from './yake.ts';

const BATCH = 500;

export interface KeywordsSummary {
  papers: number;
  seconds: number;
}

/** SQLite: prepared statements, one synchronous transaction a batch (docs/decisions.md D2); PostgreSQL: Kysely. */
const keyphraseWriterOf = perEngine<KeyphraseWriter>({
  sqlite: (s) => createKeyphraseStore(s.sqlite),
  postgres: (s) => createPostgresKeyphraseStore(s.db),
});

/**
 * Extracts the keyphrases of every paper that has none yet, or changed since (its fingerprint moved): a batch
 * per transaction, so it can be stopped and resumed at any time. Idempotent. Runs after imports and harvests
 * (by the scheduler inside `paperboy serve`, or `paperboy keywords`), off the import's hot path.
 */
export async function runKeywords(
  database: Store,
  options: { signal?: AbortSignal; limit?: number; onProgress?: (done: number) => void } = {},
): Promise<KeywordsSummary> {
  const store = keyphraseWriterOf(database);
  const started = performance.now();
  let after = 0;
  let done = 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  while (!options.signal?.aborted && done < limit) {
    const papers = await store.pending(after, Math.min(BATCH, limit - done));
    if (papers.length === 0) break;
    await store.write(
      papers.map((p) => ({
        pk: p.pk,
        fingerprint: p.fingerprint,
        phrases: extractKeyphrases(p.title, p.abstract),
      })),
    );
    after = papers.at(-1)!.pk;
    done += papers.length;
    options.onProgress?.(done);
    // let requests in between batches
    await new Promise((r) => setImmediate(r));
  }
  return { papers: done, seconds: (performance.now() - started) / 1000 };
}

/** The scheduled job: every ten minutes, whatever arrived since. */
export function createKeywordsJob(store: Store, log: Logger): Job {
  return {
    name: 'keywords',
    schedule: every(10),
    run: async (signal) => {
      const summary = await runKeywords(store, { signal });
      if (summary.papers > 0) log.info(summary, 'keyphrases extracted');
    },
  };
}
