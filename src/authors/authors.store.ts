import { sql } from 'kysely';
import type { Store } from '../db/connect.ts';
import type { Paper } from '../papers/paper.ts';
import { paperFromRow } from '../papers/papers.store.ts';
import { foldName, splitName } from './names.ts';

const MAX_CANDIDATES = 5000;

/**
 * Papers that may be by a name: every paper with an author whose first given initial and family name match
 * ("J* Doe" for "Jane Doe" or "J. Doe"), found through the full-text index's authors column; the exact
 * attribution is done by `attributePapers`. Hidden papers never appear.
 */
export async function candidatePapers(store: Store, name: string): Promise<Paper[]> {
  if (store.dialect === 'postgres') {
    const query = authorsTsquery(name);
    if (!query) return [];
    // the folded authors' own GIN index (postgres/0006_beyond: accents and case folded)
    const rows = await sql<Record<string, unknown>>`
      SELECT p.* FROM papers p
      WHERE to_tsvector('simple', paperboy_fold(p.authors)) @@ to_tsquery('simple', ${query})
        AND p.hidden_at IS NULL
      ORDER BY p.published_at DESC
      LIMIT ${MAX_CANDIDATES}`.execute(store.db);
    return rows.rows.map((row) => paperFromRow(row as never));
  }
  const match = authorsMatch(name);
  if (!match) return [];
  const rows = await sql<Record<string, unknown>>`
    SELECT p.* FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
    WHERE papers_fts MATCH ${match} AND p.hidden_at IS NULL
    ORDER BY p.published_at DESC
    LIMIT ${MAX_CANDIDATES}`.execute(store.db);
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
