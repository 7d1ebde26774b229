import { sql } from 'kysely';
import type { Store } from '../db/connect.ts';
import type { Paper } from '../papers/paper.ts';
import { paperFromRow } from '../papers/papers.store.ts';
import { searchPapersPostgres } from './postgres-fts.ts';
import type { FtsQuery } from './query.ts';

export interface SearchHit {
  paper: Paper;
  /** title and abstract excerpt with matches between MARK_START and MARK_END */
  highlightedTitle: string;
  highlightedSummary: string;
  featuredDay: string | null;
  submitter: string | null;
  submittedAt: string | null;
}

import { MARK_END, MARK_START } from './marks.ts';

export { MARK_END, MARK_START };

/** bm25 column weights: title, abstract, authors, categories (docs/search.md). */
const WEIGHTS = [3.0, 1.0, 1.0, 0.5];

/**
 * Papers matching every term, best BM25 first; when none match every term, those matching any.
 * Snippets are computed only for the page of results, not for every match.
 */
export async function searchPapers(
  store: Store,
  query: FtsQuery,
  offset: number,
  limit: number,
): Promise<SearchHit[]> {
  if (store.dialect === 'postgres') return searchPapersPostgres(store, query, offset, limit);
  const match = query.all && (await matchesAny(store, query.all)) ? query.all : query.any;
  if (!match) return [];
  const rows = await sql<Record<string, unknown>>`
    WITH ranked AS (
      SELECT rowid AS pk, bm25(papers_fts, ${sql.raw(WEIGHTS.join(', '))}) AS score
      FROM papers_fts WHERE papers_fts MATCH ${match}
      ORDER BY score LIMIT ${limit} OFFSET ${offset}
    )
    SELECT p.*, r.score,
      highlight(papers_fts, 0, ${MARK_START}, ${MARK_END}) AS highlighted_title,
      snippet(papers_fts, 1, ${MARK_START}, ${MARK_END}, '…', 48) AS highlighted_summary,
      f.day AS featured_day, f.submitter AS submitter, f.submitted_at AS submitted_at
    FROM ranked r
    JOIN papers p ON p.pk = r.pk
    JOIN papers_fts ON papers_fts.rowid = r.pk AND papers_fts MATCH ${match}
    LEFT JOIN features f ON f.paper_id = p.id
    WHERE p.hidden_at IS NULL
    ORDER BY r.score`.execute(store.db);
  return rows.rows.map((row) => ({
    paper: paperFromRow(row as never),
    highlightedTitle: String(row.highlighted_title ?? row.title),
    highlightedSummary: String(row.highlighted_summary ?? ''),
    featuredDay: (row.featured_day as string | null) ?? null,
    submitter: (row.submitter as string | null) ?? null,
    submittedAt: (row.submitted_at as string | null) ?? null,
  }));
}

async function matchesAny(store: Store, match: string): Promise<boolean> {
  const found = await sql`SELECT 1 FROM papers_fts WHERE papers_fts MATCH ${match} LIMIT 1`.execute(store.db);
  return found.rows.length > 0;
}
