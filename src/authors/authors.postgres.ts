import { sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';
import type { Paper } from '../papers/paper.ts';
import { paperColumnsOf, paperFromRow } from '../papers/papers.store.ts';
import { foldName, splitName } from './names.ts';

/** Candidates through the folded authors' GIN index. */
export async function candidatePapersPostgres(
  store: PostgresStore,
  name: string,
  limit: number,
): Promise<Paper[]> {
  const query = authorsTsquery(name);
  if (!query) return [];
  // the folded authors' own GIN index (postgres/0006_beyond: accents and case folded)
  const rows = await sql<Record<string, unknown>>`
    SELECT ${paperColumnsOf('p')} FROM papers p
    WHERE to_tsvector('simple', paperboy_fold(p.authors)) @@ to_tsquery('simple', ${query})
      AND p.hidden_at IS NULL
    ORDER BY p.published_at DESC
    LIMIT ${limit}`.execute(store.db);
  return rows.rows.map((row) => paperFromRow(row as never));
}

/**
 * The same candidates as a PostgreSQL tsquery over the folded authors: the family name's words in order and a
 * word starting with the first initial (`doe & j:*`). Only letters and digits reach it. Pure.
 */
export function authorsTsquery(name: string): string | null {
  const parts = splitName(name);
  const family = foldName(parts.family);
  const initial = foldName(parts.given)[0];
  if (!family || family.length > 100) return null;
  const words = family.split(' ');
  return initial ? `(${words.join(' <-> ')}) & ${initial}:*` : words.join(' <-> ');
}
