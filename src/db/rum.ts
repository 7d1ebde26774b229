/**
 * The optional `rum` index over PostgreSQL's search vectors (Debian's postgresql-15-rum): ranked full-text
 * queries read their best matches in the index's order (`search <=> q`) instead of ranking every match
 * (docs/search.md, "On PostgreSQL"). Made after the migrations when the server has the extension; without it
 * search keeps to the GIN index of migration 0001 and gives the same answers, only slower for ranked queries
 * of many matches. Not a migration: a server that gains the extension later gets the index at the next start.
 */
import { sql } from 'kysely';
import type { PostgresStore } from './connect.ts';

export const RUM_INDEX = 'papers_search_rum';
/** Its definition, also replayed by the bulk import after it dropped the index (search-indexes.postgres.ts). */
export const RUM_INDEX_SQL = `CREATE INDEX IF NOT EXISTS ${RUM_INDEX} ON papers USING rum (search rum_tsvector_ops)`;

export type RumState =
  | { state: 'present' }
  | { state: 'building'; papers: number }
  | { state: 'built'; papers: number; seconds: number }
  | { state: 'unavailable'; message: string };

/** Whether the papers table has the rum index now (one catalogue read). */
export async function rumIndexPresent(store: PostgresStore): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'papers' AND indexname = ${RUM_INDEX}`.execute(
    store.db,
  );
  return Number(rows[0]?.n) > 0;
}

/** Makes the rum index when the server can, once; says why not otherwise (never throws for a missing extension). */
export async function ensureRumIndex(
  store: PostgresStore,
  tell: (state: RumState) => void = () => {},
): Promise<RumState> {
  if (await rumIndexPresent(store)) return { state: 'present' };
  const available = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'rum'`.execute(store.db);
  if (Number(available.rows[0]?.n) === 0)
    return {
      state: 'unavailable',
      message:
        'the PostgreSQL extension rum is not installed on the database server: search ranks with the GIN index (same answers, slower for ranked searches of common words). Install it (Debian: apt-get install postgresql-15-rum) and restart Paperboy to build its index.',
    };
  const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM papers`.execute(store.db);
  const papers = Number(count.rows[0]?.n ?? 0);
  tell({ state: 'building', papers });
  const started = performance.now();
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS rum`.execute(store.db);
    await sql.raw(RUM_INDEX_SQL).execute(store.db);
  } catch (err) {
    return {
      state: 'unavailable',
      message: `the rum index could not be made (${(err as Error).message}): search ranks with the GIN index. A superuser can run CREATE EXTENSION rum in this database; Paperboy builds the index at its next start.`,
    };
  }
  return { state: 'built', papers, seconds: (performance.now() - started) / 1000 };
}
