import { sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';
import { paperFromRow } from '../papers/papers.store.ts';
import { MARK_END, MARK_START } from './marks.ts';
import type { FtsQuery } from './query.ts';
import type { SearchHit } from './search.store.ts';

/** Ranking reads every matching row on PostgreSQL (stack-notes): rank a bounded candidate set instead. */
const CANDIDATES = 2000;
/** ts_rank_cd weights for D, C, B, A: categories, abstract, authors, title (docs/search.md). */
const WEIGHTS = '{0.1, 0.3, 0.4, 1.0}';
const HEADLINE = `StartSel=${MARK_START}, StopSel=${MARK_END}`;

/**
 * The PostgreSQL twin of the SQLite FTS5 search: the text goes through `websearch_to_tsquery`, which reads
 * quotes, `-word` and `OR` and never fails on syntax; matches come from the GIN index on the weighted `search`
 * column; the first CANDIDATES are ranked by ts_rank_cd; snippets come from ts_headline for the page only.
 * When nothing matches every word, any word is enough (as on SQLite).
 */
export async function searchPapersPostgres(
  store: PostgresStore,
  query: FtsQuery,
  offset: number,
  limit: number,
): Promise<SearchHit[]> {
  const all = sql`websearch_to_tsquery('english', ${query.text})`;
  const found = await sql`SELECT 1 FROM papers WHERE search @@ ${all} AND hidden_at IS NULL LIMIT 1`.execute(
    store.db,
  );
  const tsquery =
    found.rows.length > 0 || query.words.length < 2
      ? all
      : sql`to_tsquery('english', ${query.words
          .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
          .filter(Boolean)
          .join(' | ')})`;
  const { rows } = await sql<Record<string, unknown>>`
    WITH candidates AS (
      SELECT pk FROM papers WHERE search @@ ${tsquery} AND hidden_at IS NULL LIMIT ${CANDIDATES}
    ), ranked AS (
      SELECT p.pk, ts_rank_cd(${WEIGHTS}::float4[], p.search, ${tsquery}) AS score
      FROM papers p JOIN candidates c ON c.pk = p.pk
      ORDER BY score DESC, p.pk DESC LIMIT ${limit} OFFSET ${offset}
    )
    SELECT p.*, r.score,
      ts_headline('english', p.title, ${tsquery}, ${`${HEADLINE}, HighlightAll=true`}) AS highlighted_title,
      ts_headline('english', p.abstract, ${tsquery}, ${`${HEADLINE}, MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=…`}) AS highlighted_summary,
      f.day AS featured_day, f.submitter AS submitter, f.submitted_at AS submitted_at
    FROM ranked r JOIN papers p ON p.pk = r.pk LEFT JOIN features f ON f.paper_id = p.id
    ORDER BY r.score DESC, p.pk DESC`.execute(store.db);
  return rows.map((row) => ({
    paper: paperFromRow(row as never),
    highlightedTitle: String(row.highlighted_title ?? row.title),
    highlightedSummary: String(row.highlighted_summary ?? ''),
    featuredDay: (row.featured_day as string | null) ?? null,
    submitter: (row.submitter as string | null) ?? null,
    submittedAt: (row.submitted_at as string | null) ?? null,
  }));
}
