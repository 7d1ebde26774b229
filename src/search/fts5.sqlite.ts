/**
 * SQLite FTS5 dialect: the MATCH expressions and SQL fragments of search. Pure (no database handle).
 * search.postgres.ts does the same over `tsvector`/`tsquery`.
 *
 * Every term is written as a quoted FTS5 string made only of letters and digits (see query-parse.ts), so no
 * input can be read as FTS5 syntax.
 */

import { FTS_TABLE, FTS_TABLES, TITLE_FTS_TABLE } from '../db/schema.ts';
import type { ParsedQuery, Term } from './query-parse.ts';
import { contentGroups } from './query-terms.ts';

export { contentGroups, FTS_TABLE, FTS_TABLES, TITLE_FTS_TABLE };
export const FTS_COLUMNS = ['title', 'abstract', 'authors', 'categories'] as const;
export type FtsColumn = (typeof FTS_COLUMNS)[number];

const quoted = (term: Term) => `"${term.words.join(' ')}"`;

/** The column filters and exclusions every mode keeps: author, category, NOT. */
function constraints(query: ParsedQuery, extraCategories: string[][]): string {
  const parts: string[] = [];
  for (const author of query.authors) parts.push(`authors : "${author.join(' ')}"`);
  for (const cat of [...query.categories, ...extraCategories]) parts.push(`categories : "${cat.join(' ')}"`);
  return parts.join(' AND ');
}

/**
 * The MATCH expression: `all` requires every group, `any` any of them; both keep the author and category
 * filters and the exclusions. Null when nothing positive is left to match.
 * @example ftsMatch(parseQuery('sparse "mixture of experts" -vision'), 'all')
 * // '"sparse" AND "mixture of experts" NOT "vision"'
 */
export function ftsMatch(
  query: ParsedQuery,
  mode: 'all' | 'any',
  extraCategories: string[][] = [],
  /** look for the words in this column only (the filters keep theirs) */
  column: FtsColumn | null = null,
): string | null {
  const groups = contentGroups(query).map((group) =>
    group.length === 1 ? quoted(group[0]!) : `(${group.map(quoted).join(' OR ')})`,
  );
  const filter = constraints(query, extraCategories);
  let content = '';
  if (groups.length === 1 || (groups.length > 1 && mode === 'all')) content = groups.join(' AND ');
  else if (groups.length > 1) content = groups.join(' OR ');
  if (content && column) content = `${column} : (${content})`;
  else if (content && groups.length > 1 && mode === 'any') content = `(${content})`;
  // explicit ANDs: FTS5 refuses an implicit one after a column filter on a bracketed expression
  const positive = [content, filter].filter(Boolean).join(' AND ');
  if (!positive) return null;
  return positive + query.excluded.map((t) => ` NOT ${quoted(t)}`).join('');
}

/** bm25() with per-column weights, in FTS5's sign (lower is better). */
export function bm25Expression(weights: Record<FtsColumn, number>): string {
  const list = FTS_COLUMNS.map((c) => Number(weights[c]).toFixed(3)).join(', ');
  return `bm25(${FTS_TABLE}, ${list})`;
}

/** fts5vocab tables over the index (migration 0005): per-term document counts. */
export const FTS_VOCAB_ROW = 'papers_fts_row';
/** FTS5 keeps the row count and each column's total tokens in this record of its `_data` table. */
export const FTS_AVERAGES = `SELECT block FROM ${FTS_TABLE}_data WHERE id = 1`;
/** FTS5's per-row token counts per column (varints). */
export const FTS_DOCSIZE = `${FTS_TABLE}_docsize`;
