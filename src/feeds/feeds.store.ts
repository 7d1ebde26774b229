import { sql } from 'kysely';
import type { Store } from '../db/connect.ts';
import type { Paper } from '../papers/paper.ts';
import { paperFromRow } from '../papers/papers.store.ts';

/**
 * The newest papers matching a full-text query (a saved search as a feed: readers want new matches, not the
 * best old ones). Hidden papers never appear.
 */
export async function newestMatching(store: Store, match: string, limit: number): Promise<Paper[]> {
  const rows = await sql<Record<string, unknown>>`
    SELECT p.* FROM papers_fts
    JOIN papers p ON p.pk = papers_fts.rowid
    WHERE papers_fts MATCH ${match} AND p.hidden_at IS NULL
    ORDER BY p.published_at DESC, p.pk DESC
    LIMIT ${limit}`.execute(store.db);
  return rows.rows.map((row) => paperFromRow(row as never));
}
