import { sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';

/**
 * `paperboy reindex` on PostgreSQL: rewrites every paper's row in short batches, which regenerates its search
 * vector and stores the row as the columns' storage now says (migration 0007: the vector in the row, not in
 * TOAST; 0008: the short text fields in the row too, the abstract alone in TOAST). PostgreSQL keeps the vectors
 * current by itself; this is for rows written before those migrations, or after a change of text search
 * configuration. Each batch is its own transaction, so the site keeps serving and writing meanwhile.
 */
const BATCH = 5_000;

/**
 * The text columns kept in the row (storage MAIN). An UPDATE that sets a column to itself keeps a value already
 * in TOAST where it is; `column || ''` is a new value, which PostgreSQL stores as the column's storage says.
 */
async function inlineColumns(store: PostgresStore): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT attname AS name FROM pg_attribute
    WHERE attrelid = 'papers'::regclass AND attnum > 0 AND NOT attisdropped
      AND atttypid = 'text'::regtype AND attstorage = 'm' AND attgenerated = ''
    ORDER BY attnum`.execute(store.db);
  return rows.map((r) => r.name);
}

export async function rewriteSearchVectors(
  store: PostgresStore,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ papers: number; seconds: number }> {
  const started = performance.now();
  const range = await sql<{ lo: number | null; hi: number | null; n: string }>`
    SELECT min(pk) AS lo, max(pk) AS hi, count(*) AS n FROM papers`.execute(store.db);
  const { lo, hi, n } = range.rows[0]!;
  const total = Number(n);
  // the title is always rewritten: that regenerates the search vector
  const columns = [...new Set(['title', ...(await inlineColumns(store))])];
  const set = sql.join(columns.map((c) => sql`${sql.ref(c)} = ${sql.ref(c)} || ''`));
  let done = 0;
  if (lo !== null && hi !== null) {
    for (let from = Number(lo); from <= Number(hi) && !options.signal?.aborted; from += BATCH) {
      const result = await sql`UPDATE papers SET ${set} WHERE pk >= ${from} AND pk < ${from + BATCH}`.execute(
        store.db,
      );
      done += Number(result.numAffectedRows ?? 0);
      options.onProgress?.(done, total);
    }
  }
  return { papers: done, seconds: (performance.now() - started) / 1000 };
}
