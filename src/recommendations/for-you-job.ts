import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import { perEngine } from '../db/engine.ts';
import type { Job } from '../jobs/registry.ts';
import { dailyAt } from '../jobs/schedule.ts';
import type { Logger } from '../log.ts';
import { createPostgresForYouStore } from './for-you.postgres.ts';
import { createForYouStore } from './for-you.sqlite.ts';
import type { ForYouData, PaperText } from './for-you.store.ts';
import { type Candidate, candidateMatrix, type Positive, recommendFor } from './recommend.ts';
import { DIMENSIONS, idfFromDocuments, type SparseVector, textBuckets, vectorize } from './tfidf.ts';

export interface ForYouSummary {
  members: number;
  skipped: number;
  candidates: number;
  negatives: number;
  seconds: number;
}

export interface ForYouOptions {
  /** retrain members whose positives did not change */
  force?: boolean;
  /** only these members (e.g. one member's "update now") */
  userIds?: number[];
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

type Settings = Pick<Config, 'FOR_YOU_CANDIDATES' | 'FOR_YOU_NEGATIVES' | 'FOR_YOU_RESULTS'>;

/**
 * Trains every member's model and stores their recommendations (the job of docs/ranking.md "For you"). The
 * candidates (newest papers) and negatives (a random sample of the store) are vectorised once per run, with
 * idf from both; each member's positives are vectorised as they come. A member whose positives and the
 * candidate set are unchanged since the last run is skipped. Each member's results are one transaction.
 */
/** SQLite reads hundreds of thousands of rows a run through prepared statements; PostgreSQL through Kysely. */
const forYouDataOf = perEngine<ForYouData>({
  sqlite: (s) => createForYouStore(s.sqlite),
  postgres: (s) => createPostgresForYouStore(s.db),
});

export async function runForYou(
  store: Store,
  config: Settings,
  options: ForYouOptions = {},
): Promise<ForYouSummary> {
  const started = performance.now();
  const db = forYouDataOf(store);
  const members = options.userIds ?? (await db.members());
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const {
    candidates,
    negatives,
    idf,
    signature: candidateSignature,
  } = await prepareCorpus(db, config, random);
  const scratch = new Float64Array(DIMENSIONS + 1);
  const scratch32 = new Float32Array(DIMENSIONS + 1);
  const cache = new Map<string, SparseVector>();
  let done = 0;
  let skipped = 0;
  for (const [n, userId] of members.entries()) {
    if (options.signal?.aborted) break;
    const positives = await db.positives(userId);
    const hash = createHash('sha1')
      .update(candidateSignature)
      .update(positives.map((p) => `${p.kind}:${p.id}`).join(','))
      .digest('hex');
    if (!options.force && (await db.lastHash(userId)) === hash) {
      skipped++;
      continue;
    }
    const missing = positives.filter((p) => !cache.has(p.id)).map((p) => p.id);
    if (missing.length > 0) {
      const texts = await db.texts(missing);
      for (const [id, text] of texts) cache.set(id, vectorize(textBuckets(text), idf));
    }
    const vectors: Positive[] = positives
      .filter((p) => cache.has(p.id))
      .map((p) => ({ id: p.id, kind: p.kind, x: cache.get(p.id)! }));
    const recs = recommendFor(vectors, negatives, candidates, {
      k: config.FOR_YOU_RESULTS,
      scratch,
      scratch32,
    });
    await db.save(userId, recs, hash, vectors.length, new Date().toISOString());
    done++;
    // bounded memory: positives are re-vectorised rather than kept for the whole run
    if (cache.size > 20_000) cache.clear();
    options.onProgress?.(n + 1, members.length);
    if (n % 50 === 49) await new Promise((r) => setImmediate(r));
  }
  return {
    members: done,
    skipped,
    candidates: candidates.ids.length,
    negatives: negatives.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The candidates (as one matrix) and negatives, vectorised with idf from both; the texts and token lists are
 * dropped on return, so only the vectors stay in memory for the run.
 */
async function prepareCorpus(db: ForYouData, config: Settings, random: () => number) {
  const candidateTexts = await db.candidates(config.FOR_YOU_CANDIDATES);
  const negativeTexts = await db.sample(config.FOR_YOU_NEGATIVES, random);
  const candidateBuckets = candidateTexts.map((p) => textBuckets(p.text));
  const negativeBuckets = negativeTexts.map((p) => textBuckets(p.text));
  const idf = idfFromDocuments([...candidateBuckets, ...negativeBuckets]);
  const candidates = candidateMatrix(
    candidateTexts.map((p, i) => ({ id: p.id, x: vectorize(candidateBuckets[i]!, idf) })),
  );
  const negatives: Candidate[] = negativeTexts.map((p, i) => ({
    id: p.id,
    x: vectorize(negativeBuckets[i]!, idf),
  }));
  // the candidate set takes part in the hash: new papers mean new recommendations
  const signature = `${candidateTexts.length}:${candidateTexts[0]?.id ?? ''}:${candidateTexts.at(-1)?.id ?? ''}`;
  return { candidates, negatives, idf, signature };
}

/** The daily job (FOR_YOU_SCHEDULE, UTC), after the harvest has brought the day's papers. */
export function createForYouJob(store: Store, config: Config, log: Logger): Job {
  return {
    name: 'for-you',
    schedule: dailyAt(config.FOR_YOU_SCHEDULE),
    run: async (signal) => {
      const summary = await runForYou(store, config, { signal });
      log.info(summary, 'for-you recommendations computed');
    },
  };
}

export type { PaperText };
