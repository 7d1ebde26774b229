/**
 * Search results by date or upvotes, exact (search.store.ts asks here when the sort is not relevance).
 * Few matches: read them all from FTS5 and sort. Many (a common word, an author with a common name, a whole
 * category, in a large collection, where sorting hundreds of thousands of matches took 0.5–1.6 s at 1M papers):
 * walk the papers in that order through their index and keep those that match, which finds a page after a few
 * dozen rows. A walk that does not find its page within its budget of rows falls back to reading every match.
 *
 * Two ways to tell whether a walked paper matches, both on its text as the index tokenizes it (tokens.ts): plain
 * words (no phrases, exclusions, authors or categories) by the query's prefix pattern, the cheapest; anything
 * else by tokenizing the paper's fields and looking for each phrase in them (`rowMatcher`). Asking FTS5 about
 * one row instead (`MATCH ? AND rowid BETWEEN ? AND ?`) took 9–36 ms a row at 1M papers: it reads the term's
 * list up to that row. (`rowid = ?` with a bound value is not applied at all by SQLite 3.53's FTS5: every row
 * seemed to match.)
 */
import type { SqliteStore } from '../db/connect.ts';
import { FIELDS } from './bm25f.ts';
import { contentGroups, FTS_TABLE } from './fts5.sqlite.ts';
import type { ParsedQuery } from './query-parse.ts';
import { prepared } from './statements.sqlite.ts';
import { corpusStats } from './stats.sqlite.ts';
import { indexTokens, type TermMatcher, termFrequencies, termMatcher } from './tokens.ts';

/** What of a search's plan (search.store.ts) the sorted walk needs. */
export interface SortPlan {
  match: string;
  /** categories asked by the filter form, on top of the query's `cat:` (in the MATCH as well) */
  extraCategories: string[][];
  /** every group required, or any (a long query, or one widened when nothing had every group) */
  mode: 'all' | 'any';
  where: string[];
  params: unknown[];
  featured: boolean;
}

export type SortOrder = 'date' | 'upvotes';

export interface TextRow {
  pk: number;
  title: string;
  abstract: string;
  authors: string;
  categories: string;
}

/** The SQL order of each sort (its index: papers_published, papers_upvotes), and newest first for relevance. */
const ORDER: Record<SortOrder | 'relevance', string> = {
  date: 'p.published_at DESC, p.pk DESC',
  upvotes: 'p.upvotes DESC, p.pk DESC',
  relevance: 'p.pk DESC',
};
/** "Featured only": the papers (aliased p) joined to their feature. */
export const FEATURED_JOIN = ' JOIN features ft ON ft.paper_id = p.id';

/** The tokens the index makes of a term's words: a phrase to FTS5 once quoted. */
const tokensOf = (words: string[]) => indexTokens(words.join(' '));

/** Papers walked at most, reading their text, before reading every match instead. */
const SCAN_ROWS = 20_000;
const SCAN_CHUNK = 256;
/** Papers walked at most tokenizing their every field (≈ 20–40 µs each), before reading every match instead. */
const TOKENIZED_ROWS = 3_000;

/**
 * Keys `offset` to `offset + count` in date or upvote order. `walkFrom`: the expected matches from which a
 * walk is tried (Ranking.scanSortFrom).
 */
export function sortedKeys(
  store: SqliteStore,
  query: ParsedQuery,
  p: SortPlan,
  sort: SortOrder,
  walkFrom: number,
  offset: number,
  count: number,
): number[] {
  const order = ORDER[sort];
  const want = offset + count;
  const { expected, docs } = expectedMatches(store, query, p.mode);
  if (expected >= walkFrom) {
    let keys: number[] | null = null;
    if (plainTerms(query) && p.extraCategories.length === 0)
      keys = keepInOrder(store, p, order, want, SCAN_ROWS, plainMatcher(query, p.mode));
    // the dearer check: walk only when the page should turn up well within its budget, which the number of
    // matches tells (the estimate can be far off for phrases: "graph neural" is rarer than either word)
    else if (hasMatches(store, p.match, Math.ceil((3 * want * docs) / TOKENIZED_ROWS)))
      keys = keepInOrder(store, p, order, want, TOKENIZED_ROWS, rowMatcher(query, p.extraCategories, p.mode));
    if (keys) return keys.slice(offset, offset + count);
  }
  if (!p.featured && (sort === 'date' || p.where.length === 0)) {
    const keys = matchesInOrder(store, p, order, want, docs);
    if (keys) return keys.slice(offset, offset + count);
  }
  const featured = p.featured ? FEATURED_JOIN : '';
  return prepared(
    store,
    `SELECT ${FTS_TABLE}.rowid FROM ${FTS_TABLE} JOIN papers p ON p.pk = ${FTS_TABLE}.rowid${featured}
     WHERE ${[`${FTS_TABLE} MATCH ?`, ...p.where].join(' AND ')} AND p.hidden_at IS NULL
     ORDER BY ${order} LIMIT ? OFFSET ?`,
  )
    .pluck()
    .all(p.match, ...p.params, count, offset) as number[];
}

/** Matches read from FTS5 at most for `matchesInOrder`: past them, the sort's index is walked by the text. */
const MATCH_SET_LIMIT = 100_000;
/**
 * From how many matches walking the sort's index beats looking each match up: a walk reads about
 * want × papers / matches index entries, a lookup per match costs as much as about WALK_PER_LOOKUP of them.
 */
const WALK_PER_LOOKUP = 8;

/**
 * Many matches, but not so many that the text walk finds its page quickly: FTS5's matches as a set (every kind
 * of query, exactly as the MATCH finds them), then the sort's index walked, reading its keys alone, keeping the
 * papers in the set that are not hidden. Looking each match up in `papers` instead took 60–100 ms for 12,265
 * matches at 2.7M papers (the rows are spread over 8 GB). Null when the matches are few enough to look up, or
 * too many to read, or the walk does not find the page within a few times the rows it should take.
 */
function matchesInOrder(
  store: SqliteStore,
  p: SortPlan,
  order: string,
  want: number,
  docs: number,
): number[] | null {
  const pks = prepared(store, `SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ? LIMIT ?`)
    .pluck()
    .all(p.match, MATCH_SET_LIMIT + 1) as number[];
  const matches = pks.length;
  if (matches > MATCH_SET_LIMIT || matches * matches * WALK_PER_LOOKUP < want * docs) return null;
  const wanted = new Set(pks);
  const hidden = prepared(store, 'SELECT hidden_at IS NOT NULL FROM papers WHERE pk = ?').pluck();
  const walk = prepared(
    store,
    `SELECT p.pk FROM papers p${p.where.length ? ` WHERE ${p.where.join(' AND ')}` : ''} ORDER BY ${order}`,
  ).pluck();
  const budget = 4 * Math.ceil((want * docs) / matches) + 10_000;
  const keys: number[] = [];
  let walked = 0;
  for (const pk of walk.iterate(...p.params) as IterableIterator<number>) {
    if (wanted.has(pk) && !hidden.get(pk)) keys.push(pk);
    if (keys.length >= want) return keys;
    if (++walked >= budget) return null;
  }
  return keys;
}

/** Words and ORs of words only (no phrases, exclusions, authors or categories): checkable from the text. */
function plainTerms(query: ParsedQuery): boolean {
  return (
    query.excluded.length === 0 &&
    query.authors.length === 0 &&
    query.categories.length === 0 &&
    contentGroups(query).every((g) => g.every((t) => !t.phrase))
  );
}

/**
 * Walks the papers in `order` through its index, SCAN_CHUNK at a time, keeping those that pass the plan's
 * filters and `keep`; null when the first `budget` papers hold fewer than `want`.
 */
function keepInOrder(
  store: SqliteStore,
  p: SortPlan,
  order: string,
  want: number,
  budget: number,
  keep: (row: TextRow) => boolean,
): number[] | null {
  const featured = p.featured ? FEATURED_JOIN : '';
  const where = ['p.hidden_at IS NULL', ...p.where].join(' AND ');
  const chunk = prepared(
    store,
    `SELECT p.pk, p.title, p.abstract, p.authors, p.categories FROM papers p${featured}
     WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
  );
  const keys: number[] = [];
  for (let offset = 0; offset < budget; offset += SCAN_CHUNK) {
    const rows = chunk.all(...p.params, SCAN_CHUNK, offset) as TextRow[];
    for (const row of rows) {
      if (keep(row)) keys.push(row.pk);
      if (keys.length >= want) return keys;
    }
    if (rows.length < SCAN_CHUNK) return keys;
  }
  return null;
}

/** Which of `terms` (stemmed) a form of occurs in the paper's fields, by the terms' prefix pattern. */
function termsIn(row: TextRow, terms: string[], matcher: TermMatcher): Set<string> {
  const found = new Set<string>();
  for (const field of FIELDS)
    termFrequencies(row[field], matcher).forEach((n, i) => {
      if (n > 0) found.add(terms[i]!);
    });
  return found;
}

/** Plain words: whether the paper holds a form of every group's word (any group's, in `any` mode). */
function plainMatcher(query: ParsedQuery, mode: 'all' | 'any'): (row: TextRow) => boolean {
  const groups = contentGroups(query).map((g) => [...new Set(g.flatMap((t) => tokensOf(t.words)))]);
  const terms = [...new Set(groups.flat())];
  const matcher = termMatcher(terms);
  return (row) => {
    const found = termsIn(row, terms, matcher);
    const has = (g: string[]) => g.some((t) => found.has(t));
    return mode === 'all' ? groups.every(has) : groups.some(has);
  };
}

/** Featured papers up to which "featured only" checks each of them rather than the index's matches. */
const FEATURED_SCAN = 5_000;

/**
 * "Featured only" when few papers are featured: every featured paper's text checked (`rowMatcher`), newest
 * first or in the sort's order; null when more than FEATURED_SCAN are featured. Going through the index's
 * matches instead meant walking all of them when few or none were featured: "model", featured only, took
 * 1.1 s at 1M papers with none featured (66 s with the pages not yet in the OS cache).
 */
export function featuredMatches(
  store: SqliteStore,
  query: ParsedQuery,
  p: SortPlan,
  sort: SortOrder | 'relevance',
): number[] | null {
  const featured = Number(prepared(store, 'SELECT count(*) FROM features').pluck().get());
  if (featured > FEATURED_SCAN) return null;
  const where = ['p.hidden_at IS NULL', ...p.where].join(' AND ');
  // CROSS JOIN keeps the features first: left to itself the planner walked all papers in the sort's order,
  // looking each up among the features (0.5 s at 1M papers with none featured)
  const rows = prepared(
    store,
    `SELECT p.pk, p.title, p.abstract, p.authors, p.categories
     FROM features ft CROSS JOIN papers p ON p.id = ft.paper_id WHERE ${where} ORDER BY ${ORDER[sort]}`,
  ).all(...p.params) as TextRow[];
  const matches = rowMatcher(query, p.extraCategories, p.mode);
  return rows.filter(matches).map((r) => r.pk);
}

/** Whether FTS5 finds at least `count` matches (reading no more than that many). */
function hasMatches(store: SqliteStore, match: string, count: number): boolean {
  const found = prepared(
    store,
    `SELECT count(*) FROM (SELECT 1 FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ? LIMIT ?)`,
  )
    .pluck()
    .get(match, count) as number;
  return found >= count;
}

/**
 * Whether a paper matches the query as its MATCH (fts5.sqlite.ts) does: a term, quoted for FTS5, is a phrase of
 * the words it tokenizes to, found when those tokens follow one another in one field (any field for words and
 * phrases, the authors for `author:`, the categories for `cat:`); groups are ORs of terms, all of them required
 * (or any, in `any` mode); an excluded term must be in no field.
 */
export function rowMatcher(
  query: ParsedQuery,
  extraCategories: string[][],
  mode: 'all' | 'any',
): (row: TextRow) => boolean {
  const groups = contentGroups(query).map((g) => g.map((t) => tokensOf(t.words)));
  const authors = query.authors.map(tokensOf);
  const categories = [...query.categories, ...extraCategories].map(tokensOf);
  const excluded = query.excluded.map((t) => tokensOf(t.words));
  // before tokenizing a paper: its text must hold a form of every word of some alternative of each group
  const required =
    mode === 'all' ? [...groups, ...authors.map((a) => [a]), ...categories.map((c) => [c])] : [];
  const words = [...new Set(required.flat(2))];
  const matcher = termMatcher(words);
  const maybe = (row: TextRow) => {
    if (words.length === 0) return true;
    const seen = termsIn(row, words, matcher);
    return required.every((g) => g.some((run) => run.every((w) => seen.has(w))));
  };
  return (row) => {
    if (!maybe(row)) return false;
    const fields: (string[] | undefined)[] = [];
    const tokens = (f: number) => {
      fields[f] ??= indexTokens(row[FIELDS[f]!]);
      return fields[f]!;
    };
    const anywhere = (run: string[]) => FIELDS.some((_, f) => hasRun(tokens(f), run));
    const group = (g: string[][]) => g.some(anywhere);
    // the short fields first: most rows fail there when an author or category is asked
    if (!authors.every((a) => hasRun(tokens(2), a))) return false;
    if (!categories.every((c) => hasRun(tokens(3), c))) return false;
    const content = groups.length === 0 || (mode === 'all' ? groups.every(group) : groups.some(group));
    return content && !excluded.some(anywhere);
  };
}

/** Whether `run` occurs in `tokens` as consecutive tokens. */
function hasRun(tokens: string[], run: string[]): boolean {
  if (run.length === 0) return false;
  for (let i = tokens.indexOf(run[0]!); i !== -1; i = tokens.indexOf(run[0]!, i + 1)) {
    let j = 1;
    while (j < run.length && tokens[i + j] === run[j]) j++;
    if (j === run.length) return true;
  }
  return false;
}

/**
 * Matches to expect if the query's parts occurred independently: every content group (any one, in `any`
 * mode) and every author and category. A group is as likely as the sum of its alternatives, and a phrase or a
 * name of several words no likelier than its rarest word. Exclusions and date bounds are left out (they only
 * lower it); a walk that finds too little stops at its budget anyway.
 */
function expectedMatches(
  store: SqliteStore,
  query: ParsedQuery,
  mode: 'all' | 'any',
): { expected: number; docs: number } {
  const content = contentGroups(query).map((g) => g.map((t) => tokensOf(t.words)));
  const fields = [...query.authors, ...query.categories].map((words) => [tokensOf(words)]);
  const groups = [...content, ...fields];
  const stats = corpusStats(store, [...new Set(groups.flat(2))]);
  const { docs } = stats;
  if (docs === 0 || groups.length === 0) return { expected: 0, docs };
  const share = (tokens: string[]) =>
    tokens.length === 0 ? 0 : Math.min(...tokens.map((t) => (stats.df.get(t) ?? 0) / docs));
  const atMostOne = (chances: number[]) =>
    Math.min(
      1,
      chances.reduce((sum, c) => sum + c, 0),
    );
  const chance = (alternatives: string[][]) => atMostOne(alternatives.map(share));
  const required = fields.map(chance);
  const words = content.map(chance);
  if (mode === 'any' && words.length > 0) required.push(atMostOne(words));
  else required.push(...words);
  return { expected: required.reduce((n, c) => n * c, docs), docs };
}
