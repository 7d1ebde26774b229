import { type Kysely, sql } from 'kysely';
import { SEARCH_INDEXES } from '../search-indexes.postgres.ts';

/**
 * PostgreSQL's index over titles alone (docs/decisions.md D65): a common word's candidates are its newest title
 * matches, and through the weighted `search` vector ("relat:A") PostgreSQL had to recheck every paper with the
 * word anywhere (130,000 for "relative" at 1M papers, 1.35 s); the titles' own GIN index holds the 5,400 title
 * matches alone. SQLite has had its twin, papers_title_fts, since 0010.
 */
export async function sqlite(_db: Kysely<unknown>): Promise<void> {
  // nothing to do: SQLite's title index is papers_title_fts (0010_title_index)
}

export async function postgres(db: Kysely<unknown>): Promise<void> {
  await sql.raw(SEARCH_INDEXES.papers_title_search).execute(db); // one definition, shared with the bulk import
}
