/**
 * Full-text search over the FTS5 index. Relevance in two passes (docs/search.md):
 * 1. candidates from FTS5: when the query's terms are rare enough (Σ document counts ≤ `exactBudget`, or
 *    `exactBudgetLarge` in a large collection, where reading and scoring each match costs more in total), the
 *    best `depth` by FTS5's bm25() with column weights; otherwise (a common word in a million papers, where
 *    bm25() alone would read hundreds of thousands of rows) the newest `newest` papers whose title matches and
 *    the newest `newest` that match anywhere, which FTS5 finds without reading every match;
 * 2. those candidates re-ranked by BM25F (bm25f.ts) with term counts made from their text.
 * Sorting by date or upvotes skips the ranking (sorted.sqlite.ts). Hidden papers never come out.
 */
import type { SqliteStore } from '../db/connect.ts';
import { type Bm25fParams, type DocTerms, FIELDS, rerankBm25f } from './bm25f.ts';
import {
  bm25Expression,
  contentGroups,
  FTS_DOCSIZE,
  FTS_TABLE,
  ftsMatch,
  TITLE_FTS_TABLE,
} from './fts5.sqlite.ts';
import { loadHits } from './hits.sqlite.ts';
import type { ParsedQuery } from './query-parse.ts';
import { queryTerms } from './query-terms.ts';
import { DEFAULT_RANKING, type Ranking } from './ranking-params.ts';
import { NO_FILTERS, type SearchFilters, type SearchResult, type SearchSort } from './search.store.ts';
import { FEATURED_JOIN, featuredMatches, sortedKeys, type TextRow } from './sorted.sqlite.ts';
import { prepared } from './statements.sqlite.ts';
import { columnSizes, corpusStats } from './stats.sqlite.ts';
import { termFrequencies, termMatcher } from './tokens.ts';

export { DEFAULT_RANKING, queryTerms, type Ranking };

export interface SearchRequest {
  query: ParsedQuery;
  filters: SearchFilters;
  sort: SearchSort;
  offset: number;
  limit: number;
  ranking?: Ranking;
}

/** One search's SQL pieces: the MATCH (and its title-only twin), date bounds, the featured filter. */
interface Plan {
  match: string;
  mode: 'all' | 'any';
  /** the filter form's category as words (cs.CL → cs, cl), also in the MATCH */
  extraCategories: string[][];
  titleMatch: string | null;
  /** the same words as a MATCH for the titles-only index, when nothing else (authors, exclusions…) is asked */
  titleOnly: string | null;
  where: string[];
  params: unknown[];
  featured: boolean;
}

function plan(query: ParsedQuery, filters: SearchFilters, mode: 'all' | 'any'): Plan | null {
  const extra = filters.category ? [filters.category.toLowerCase().split('.')] : [];
  const match = ftsMatch(query, mode, extra);
  if (!match) return null;
  const titleMatch = contentGroups(query).length > 0 ? ftsMatch(query, mode, extra, 'title') : null;
  const wordsOnly =
    extra.length === 0 &&
    query.authors.length === 0 &&
    query.categories.length === 0 &&
    query.excluded.length === 0;
  const titleOnly = titleMatch && wordsOnly ? ftsMatch(query, mode) : null;
  const after = [query.after, filters.after].filter(Boolean).sort().at(-1) ?? null;
  const before = [query.before, filters.before].filter(Boolean).sort()[0] ?? null;
  const where: string[] = [];
  const params: unknown[] = [];
  if (after) {
    where.push('p.published_at >= ?');
    params.push(after);
  }
  if (before) {
    where.push('p.published_at <= ?');
    params.push(`${before}T99`);
  }
  return {
    match,
    mode,
    extraCategories: extra,
    titleMatch,
    titleOnly,
    where,
    params,
    featured: filters.featuredOnly,
  };
}

/** FROM … WHERE: the FTS table, joined to papers (and features) only when a filter needs it. */
function fromWhere(p: Plan, joinPapers: boolean): string {
  const join = joinPapers || p.where.length > 0 || p.featured;
  const papers = join ? ` JOIN papers p ON p.pk = ${FTS_TABLE}.rowid` : '';
  const featured = p.featured ? FEATURED_JOIN : '';
  return `FROM ${FTS_TABLE}${papers}${featured} WHERE ${[`${FTS_TABLE} MATCH ?`, ...p.where].join(' AND ')}`;
}

const prepare = prepared;

const keysOf = (store: SqliteStore, sql: string, params: unknown[]) =>
  prepare(store, sql)
    .pluck()
    .all(...params) as number[];

/** First pass: candidate keys for relevance, best (or newest) first. */
function candidates(store: SqliteStore, p: Plan, terms: string[], ranking: Ranking, want: number): number[] {
  const depth = Math.max(ranking.depth, want);
  const stats = corpusStats(store, terms);
  const cost = terms.reduce((sum, t) => sum + (stats.df.get(t) ?? 0), 0);
  const budget = stats.docs > ranking.largeCollection ? ranking.exactBudgetLarge : ranking.exactBudget;
  if (cost <= budget || terms.length === 0) {
    // newest first among equals, as PostgreSQL's first pass (rank.postgres.ts): copies of a paper tie
    const order =
      terms.length > 0
        ? `${bm25Expression(ranking.weights)}, ${FTS_TABLE}.rowid DESC`
        : `${FTS_TABLE}.rowid DESC`;
    return keysOf(store, `SELECT ${FTS_TABLE}.rowid ${fromWhere(p, false)} ORDER BY ${order} LIMIT ?`, [
      p.match,
      ...p.params,
      depth,
    ]);
  }
  const count = Math.max(ranking.newest, want);
  const inTitle = newestInTitle(store, p, count);
  // enough papers with the words in their title: those are the best BM25F can find among the newest
  if (inTitle.length >= count) return inTitle;
  const anywhere = newestMatches(store, p, p.match, count);
  return [...new Set([...inTitle, ...anywhere])];
}

/** The newest `count` papers the full index matches (rowid order is the order papers arrived in). */
function newestMatches(store: SqliteStore, p: Plan, match: string, count: number): number[] {
  return keysOf(
    store,
    `SELECT ${FTS_TABLE}.rowid ${fromWhere(p, false)} ORDER BY ${FTS_TABLE}.rowid DESC LIMIT ?`,
    [match, ...p.params, count],
  );
}

/**
 * The newest papers with the query's words in their title. Plain words and phrases ask the titles-only index
 * (migration 0009), whose posting lists are a fraction of the size of the full index's; a query with authors,
 * categories or exclusions, which need the other columns, asks the full index restricted to the title column.
 */
function newestInTitle(store: SqliteStore, p: Plan, count: number): number[] {
  if (p.titleOnly) {
    const join = p.where.length > 0 || p.featured ? ` JOIN papers p ON p.pk = ${TITLE_FTS_TABLE}.rowid` : '';
    const featured = p.featured ? FEATURED_JOIN : '';
    const where = [`${TITLE_FTS_TABLE} MATCH ?`, ...p.where].join(' AND ');
    return keysOf(
      store,
      `SELECT ${TITLE_FTS_TABLE}.rowid FROM ${TITLE_FTS_TABLE}${join}${featured} WHERE ${where}
       ORDER BY ${TITLE_FTS_TABLE}.rowid DESC LIMIT ?`,
      [p.titleOnly, ...p.params, count],
    );
  }
  return p.titleMatch ? newestMatches(store, p, p.titleMatch, count) : [];
}

/**
 * Second pass: BM25F over the candidates' text, each read with its column lengths as FTS5 counted them (one
 * statement for both); hidden papers drop out.
 */
function rerank(store: SqliteStore, terms: string[], pks: number[], params: Bm25fParams): number[] {
  if (pks.length === 0) return pks;
  const rows = prepared(
    store,
    `SELECT p.pk, p.title, p.abstract, p.authors, p.categories, d.sz FROM papers p
     LEFT JOIN ${FTS_DOCSIZE} d ON d.id = p.pk
     WHERE p.pk IN (SELECT value FROM json_each(?)) AND p.hidden_at IS NULL`,
  ).all(JSON.stringify(pks)) as (TextRow & { sz: Uint8Array | null })[];
  const matcher = termMatcher(terms);
  const byPk = new Map(rows.map((r) => [r.pk, r]));
  const docs = pks.flatMap((pk) => {
    const row = byPk.get(pk);
    if (!row) return [];
    const doc: DocTerms = {
      lengths: columnSizes(row.sz),
      tf: FIELDS.map((field) => termFrequencies(row[field], matcher)),
    };
    return [{ key: pk, doc }];
  });
  return rerankBm25f(terms, docs, corpusStats(store, terms), params).map((r) => r.key);
}

/** Ranked keys of a relevance search, best first, at least `want` of them when there are. */
function rankedKeys(
  store: SqliteStore,
  query: ParsedQuery,
  p: Plan,
  ranking: Ranking,
  want: number,
): number[] {
  const terms = queryTerms(query);
  const keys = candidates(store, p, terms, ranking, want);
  if (ranking.depth === 0 || terms.length === 0) return keys;
  return rerank(store, terms, keys, ranking.bm25f);
}

function pageKeys(
  store: SqliteStore,
  query: ParsedQuery,
  p: Plan,
  sort: SearchSort,
  ranking: Ranking,
  offset: number,
  count: number,
) {
  // "featured only" with few featured papers: those that match, straight from the daily lists
  const featured = p.featured ? featuredMatches(store, query, p, sort) : null;
  if (featured) {
    const terms = queryTerms(query);
    const keys =
      sort === 'relevance' && terms.length > 0 ? rerank(store, terms, featured, ranking.bm25f) : featured;
    return keys.slice(offset, offset + count);
  }
  if (sort !== 'relevance') return sortedKeys(store, query, p, sort, ranking.scanSortFrom, offset, count);
  return rankedKeys(store, query, p, ranking, offset + count).slice(offset, offset + count);
}

/**
 * Searches: papers with every word (or, for long queries or when none has them all, any word), best first
 * or by date or upvotes, with the page's titles and snippets marked.
 */
export function searchPapers(store: SqliteStore, request: SearchRequest): SearchResult {
  const { query, filters, sort, offset, limit } = request;
  const ranking = request.ranking ?? DEFAULT_RANKING;
  const groups = contentGroups(query).length;
  const long = groups > ranking.maxAllTerms;
  let widened = false;
  let p = plan(query, filters, long ? 'any' : 'all');
  if (!p) return { hits: [], more: false, widened };
  let keys = pageKeys(store, query, p, sort, ranking, offset, limit + 1);
  if (keys.length === 0 && offset === 0 && !long && groups > 1) {
    p = plan(query, filters, 'any');
    if (p) {
      widened = true;
      keys = pageKeys(store, query, p, sort, ranking, offset, limit + 1);
    }
  }
  const hits = loadHits(store, keys.slice(0, limit), queryTerms(query));
  return { hits, more: keys.length > limit, widened };
}

/** Ranked keys only (no snippets): the site's own ranking, for the quality benchmark and hybrid fusion. */
export function searchKeys(
  store: SqliteStore,
  query: ParsedQuery,
  limit: number,
  ranking = DEFAULT_RANKING,
  filters = NO_FILTERS,
): number[] {
  const long = contentGroups(query).length > ranking.maxAllTerms;
  const p = plan(query, filters, long ? 'any' : 'all');
  if (!p) return [];
  const keys = rankedKeys(store, query, p, ranking, limit).slice(0, limit);
  if (keys.length > 0 || long || contentGroups(query).length < 2) return keys;
  const any = plan(query, filters, 'any');
  return any ? rankedKeys(store, query, any, ranking, limit).slice(0, limit) : [];
}
