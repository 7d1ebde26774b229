/** The papers of a page of results: rows, features, and their titles and snippets marked (highlight.ts). */
import type { SqliteStore } from '../db/connect.ts';
import { paperFromRow } from '../papers/papers.store.ts';
import { markWords, snippetOf } from './highlight.ts';
import type { SearchHit } from './search.store.ts';
import { prepared } from './statements.sqlite.ts';
import { termMatcher } from './tokens.ts';

/**
 * The papers of a page of results, in order, with their features, the title with the query's words marked and
 * a snippet of the abstract around them (highlight.ts); `terms` are the stemmed query terms, or null for none.
 */
export function loadHits(store: SqliteStore, pks: number[], terms: string[] | null): SearchHit[] {
  if (pks.length === 0) return [];
  const rows = prepared(
    store,
    `SELECT p.*, ft.day AS featured_day, ft.submitter AS feature_submitter, ft.submitted_at AS feature_submitted_at
     FROM papers p LEFT JOIN features ft ON ft.paper_id = p.id
     WHERE p.pk IN (SELECT value FROM json_each(?)) AND p.hidden_at IS NULL`,
  ).all(JSON.stringify(pks)) as Record<string, unknown>[];
  const byPk = new Map(rows.map((r) => [r.pk as number, r]));
  const matcher = termMatcher(terms ?? []);
  return pks.flatMap((pk) => {
    const row = byPk.get(pk);
    if (!row) return [];
    const title = String(row.title ?? '');
    const abstract = String(row.abstract ?? '');
    return [
      {
        paper: paperFromRow(row as never),
        pk,
        highlightedTitle: markWords(title, matcher),
        highlightedSummary: snippetOf(abstract, matcher, SNIPPET_WORDS),
        featuredDay: (row.featured_day as string | null) ?? null,
        submitter: (row.feature_submitter as string | null) ?? null,
        submittedAt: (row.feature_submitted_at as string | null) ?? null,
      },
    ];
  });
}

/** Words of abstract shown under each result. */
const SNIPPET_WORDS = 40;
