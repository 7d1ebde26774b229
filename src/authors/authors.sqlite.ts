import { sql } from 'kysely';
import type { SqliteStore } from '../db/connect.ts';
import type { Paper } from '../papers/paper.ts';
import { paperFromRow } from '../papers/papers.store.ts';
import { foldName, splitName } from './names.ts';

/** Candidates through the FTS5 index's authors column. */
export async function candidatePapersSqlite(
  store: SqliteStore,
  name: string,
  limit: number,
): Promise<Paper[]> {
  const match = authorsMatch(name);
  if (!match) return [];
  const rows = await sql<Record<string, unknown>>`
    SELECT p.* FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
    WHERE papers_fts MATCH ${match} AND p.hidden_at IS NULL
    ORDER BY p.published_at DESC
    LIMIT ${limit}`.execute(store.db);
  return rows.rows.map((row) => paperFromRow(row as never));
}

/** The FTS5 expression for a name: `authors : (("j"* + "doe") OR …)`. Only letters, digits and spaces reach it. Pure. */
export function authorsMatch(name: string): string | null {
  const parts = splitName(name);
  const family = foldName(parts.family);
  const initial = foldName(parts.given)[0];
  if (!family || family.length > 100) return null;
  // names are stored as written: "Jane Doe" or "Doe, Jane"
  return initial
    ? `authors : (("${initial}"* + "${family}") OR ("${family}" + "${initial}"*))`
    : `authors : "${family}"`;
}
