import { type Kysely, sql } from 'kysely';

/** SQLite: nothing to do; FTS5 keeps its index in tables of its own, and papers has no search vector to place. */
export async function sqlite(): Promise<void> {}

/**
 * PostgreSQL: keep each paper's search vector in its row (storage MAIN: compressed, moved out to TOAST only
 * as a last resort) instead of TOAST, the default for large values. Matching a common word then reads the
 * candidates' vectors from the heap, not one TOAST lookup each; the abstract, needed for the page's snippets
 * alone, goes to TOAST instead (docs/search.md, "On PostgreSQL"). Storage applies to rows as they are written:
 * rows already stored keep theirs until `paperboy reindex` rewrites them in short batches (a rewrite here would
 * lock the papers table for many minutes on a large instance).
 */
export async function postgres(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE papers ALTER COLUMN search SET STORAGE MAIN`.execute(db);
}
