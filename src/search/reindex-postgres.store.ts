import { sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';

/**
 * `paperboy reindex` on PostgreSQL: rewrites every paper's row in short batches, which regenerates its search
 * vector and stores it as the column's storage now says (migration 0007: in the row, not in TOAST). PostgreSQL
 * keeps the vectors current by itself; this is for rows written before 0007, or after a change of text search
 * configuration. Each batch is its own transaction, so the site keeps serving and writing meanwhile.
 */
const BATCH = 5_000;

export async function rewriteSearchVectors(
  store: PostgresStore,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ papers: number; seconds: number }> {
  const started = performance.now();
  const range = await sql<{ lo: number | null; hi: number | null; n: string }>`
    SELECT min(pk) AS lo, max(pk) AS hi, count(*) AS n FROM papers`.execute(store.db);
  const { lo, hi, n } = range.rows[0]!;
  const total = Number(n);
  let done = 0;
  if (lo !== null && hi !== null) {
    for (let from = Number(lo); from <= Number(hi) && !options.signal?.aborted; from += BATCH) {
      const result =
        await sql`UPDATE papers SET title = title WHERE pk >= ${from} AND pk < ${from + BATCH}`.execute(
          store.db,
        );
      done += Number(result.numAffectedRows ?? 0);
      options.onProgress?.(done, total);
    }
  }
  return { papers: done, seconds: (performance.now() - started) / 1000 };
}
