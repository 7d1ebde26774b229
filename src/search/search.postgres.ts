import { type RawBuilder, sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';
import { loadHitsPostgres } from './hits.postgres.ts';
import type { ParsedQuery, Term } from './query-parse.ts';
import { contentGroups, queryTerms, termWords } from './query-terms.ts';
import {
  corpusStatsPostgres,
  FIRST_PASS_FACTOR,
  LARGE_FIRST_PASS_FACTOR,
  rankedByIndex,
  rerankPostgres,
} from './rank.postgres.ts';
import { DEFAULT_RANKING, type Ranking } from './ranking-params.ts';
import type { SearchFilters, SearchHit, SearchResult, SearchSort } from './search.store.ts';

/**
 * The PostgreSQL twin of the SQLite search (search.sqlite.ts; the shared types in search.store.ts), with the same
 * inputs and outputs: the parsed query becomes a tsquery (groups ANDed, alternatives ORed, phrases with `<->`,
 * exclusions with `!`, authors and categories restricted to their weight labels B and D of the `search` vector),
 * matches come from its GIN index (or, for a common word, from walking the papers newest first), and snippets
 * are marked in TypeScript as on SQLite (hits.postgres.ts). Sorted by date or upvotes, the page is the first of
 * all matches in that order. By relevance, as on SQLite: candidates, then the same BM25F re-rank over their text
 * (rank.postgres.ts), with the same parameters (ranking-params.ts). A query of more than `maxAllTerms` words
 * matches any of them; a shorter one that no paper matches whole is widened to any word (as on SQLite).
 */
/** Words as tsquery lexemes: query-parse already keeps letters and digits only, so nothing is operator syntax. */
function lexemes(words: string[], label = ''): string {
  const clean = words.map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
  return clean.map((w) => `${w}${label}`).join(' <-> ');
}

function term(t: Term): string {
  return lexemes(t.words);
}

/**
 * The tsquery of a parsed query, with every group required (`all`) or any (`any`); null when empty. Words are
 * stemmed like the title and abstract ('english'); authors and categories are matched as indexed ('simple').
 */
export function tsqueryOf(query: ParsedQuery, mode: 'all' | 'any'): RawBuilder<unknown> | null {
  const groups = contentGroups(query)
    .map((g) => g.map((t) => term(t)).filter(Boolean))
    .filter((g) => g.length > 0);
  const parts = groups.map((g) => `(${g.join(' | ')})`);
  const required = mode === 'all' ? parts.join(' & ') : parts.length > 0 ? `(${parts.join(' | ')})` : '';
  const excluded = query.excluded
    .map((t) => term(t))
    .filter(Boolean)
    .map((t) => ` & !(${t})`)
    .join('');
  const fields = [
    ...query.authors.map((a) => `(${lexemes(a, ':B')})`),
    ...query.categories.map((c) => `(${lexemes(c, ':D')})`),
  ]
    .filter((f) => f !== '()')
    .join(' & ');
  const words = required ? sql`to_tsquery('english', ${required + excluded})` : null;
  const named = fields ? sql`to_tsquery('simple', ${fields})` : null;
  if (words && named) return sql`(${words} && ${named})`;
  if (named && excluded) return sql`(${named} && to_tsquery('english', ${excluded.slice(3)}))`;
  return words ?? named;
}

/**
 * The query's words in titles, any or all of them; null when there are none. Two spellings of the same test:
 * `walk` through label A of the weighted vector (cheap a paper, for checking papers one by one), `indexed` over
 * the titles' own tsvector, which their GIN index answers (migration 0017): through `search`, every paper with
 * the word anywhere had to be rechecked (130,000 for "relative" at 1M papers, 1.35 s, against 90 ms).
 */
function titleConditions(query: ParsedQuery, mode: 'all' | 'any'): { walk: Where; indexed: Where } | null {
  const groups = contentGroups(query).map((g) => g.map((t) => t.words));
  const join = mode === 'all' ? ' & ' : ' | ';
  const tsquery = (label: string) =>
    groups
      .map((g) => g.map((words) => lexemes(words, label)).filter(Boolean))
      .filter((g) => g.length > 0)
      .map((g) => `(${g.join(' | ')})`)
      .join(join);
  const labelled = tsquery(':A');
  if (!labelled) return null;
  return {
    walk: sql`p.search @@ to_tsquery('english', ${labelled})`,
    // the expression of the index papers_title_search, as written there
    indexed: sql`to_tsvector('english', p.title) @@ to_tsquery('english', ${tsquery('')})`,
  };
}

/** The search's conditions; `text`, when given, stands in for matching `tsquery` (it must imply it). */
function conditions(
  query: ParsedQuery,
  filters: SearchFilters,
  tsquery: RawBuilder<unknown>,
  text: RawBuilder<unknown> = sql`p.search @@ ${tsquery}`,
): RawBuilder<unknown> {
  const after = [query.after, filters.after].filter(Boolean).sort().at(-1) ?? null;
  const before = [query.before, filters.before].filter(Boolean).sort()[0] ?? null;
  return sql`${text} AND p.hidden_at IS NULL
    ${after ? sql`AND p.published_at >= ${after}` : sql``}
    ${before ? sql`AND p.published_at < ${`${before}T99`}` : sql``}
    ${filters.category ? sql`AND EXISTS (SELECT 1 FROM paper_categories pc WHERE pc.paper_pk = p.pk AND pc.category = ${filters.category})` : sql``}
    ${filters.featuredOnly ? sql`AND EXISTS (SELECT 1 FROM features f2 WHERE f2.paper_id = p.id)` : sql``}`;
}

/** The order of each sort, newest first among equals (the indexes papers_pkey, papers_published, papers_upvotes). */
const SORTED = {
  relevance: sql`p.pk DESC`,
  date: sql`p.published_at DESC NULLS LAST, p.pk DESC`,
  upvotes: sql`p.upvotes DESC, p.pk DESC`,
};
/** The same orders, spelled so that no index can give them: the planner must find the matches, then sort. */
const SORTED_AFTER_MATCHING = {
  relevance: sql`p.pk + 0 DESC`,
  date: sql`(p.published_at IS NULL), p.published_at DESC, p.pk DESC`,
  upvotes: sql`p.upvotes + 0 DESC, p.pk DESC`,
};
/** Papers walked in order (newest, or the sort's order) before matching the rest through the GIN index. */
const WALK = 5_000;
/** Papers looked at in order before the walk, to tell whether the walk can find a page (see firstMatches). */
const PROBE = 500;
/**
 * By relevance, this many matches among the walked papers are enough to rank (when the page asks for no more):
 * a word in 2–10 % of papers then needs no pass over all its matches (SQLite ranks ~50 newest, D31).
 */
const ENOUGH_TO_RANK = 100;

type Where = ReturnType<typeof conditions>;
/** How many papers firstMatches walks in order, and looks at first (WALK and PROBE; smaller in tests). */
interface Steps {
  walk: number;
  probe: number;
}
const stepsOf = (request: { walk?: number; probe?: number }): Steps => ({
  walk: request.walk ?? WALK,
  probe: request.probe ?? PROBE,
});

const keys = (rows: { pk: number | string }[]) => rows.map((r) => Number(r.pk));

/**
 * The first `want` matches in the sort's order (for relevance: newest first; there `least`, at least
 * ENOUGH_TO_RANK, of the newest are enough when the walk finds no more). Bounded steps, whatever the planner
 * guesses about the words: the first `probe` papers in that order are checked one by one; when they promise
 * enough matches in `walk` papers, those are checked (a common word finds its page there); otherwise, or when
 * the walk holds too few, all matches come from the GIN index and are sorted. A single `ORDER BY … LIMIT` leaves
 * the choice to the planner, which walked all 1M papers (1.6 s) for six made-up words it guessed to be in
 * 30,000; the look first spares a rarer query the walk (checking 5,000 papers' vectors in vain cost a rare
 * word's date sort 14 ms of the server's time at 1M papers, and the title matches of "graph neural networks" a
 * second pass over their GIN matches).
 */
async function firstMatches(
  store: PostgresStore,
  where: Where,
  sort: SearchSort,
  want: number,
  { walk, probe: probeSize }: Steps,
  least = want,
  /** the same condition as `where` for the last step, spelled for an index that answers it better */
  indexedWhere: Where = where,
): Promise<number[]> {
  const enough = sort === 'relevance' ? Math.min(want, Math.max(ENOUGH_TO_RANK, least)) : want;
  // a subquery that takes the first papers in order, then the words: told `pk > 995000` instead, the planner
  // ANDed the range with the word's whole GIN posting list (33 ms for "transformer" at 1M papers)
  const walkedBy = async (papers: number) =>
    keys(
      (
        await sql<{ pk: number }>`
          SELECT p.pk FROM (
            SELECT p.pk, p.id, p.search, p.hidden_at, p.published_at, p.upvotes FROM papers p
            ORDER BY ${SORTED[sort]} LIMIT ${papers}
          ) p WHERE ${where} ORDER BY ${SORTED[sort]} LIMIT ${want}`.execute(store.db)
      ).rows,
    );
  const probe = Math.min(walk, probeSize);
  const probed = await walkedBy(probe);
  // a full page among the first papers is what the walk would give; fewer are enough only from the whole walk
  if (probed.length >= want || (probe === walk && probed.length >= enough)) return probed;
  if (probe < walk && probed.length * (walk / probe) >= enough) {
    // every match among the first `walk` papers in order: if enough, they are the first of all matches
    const walked = await walkedBy(walk);
    if (walked.length >= enough) return walked;
  }
  const all = await sql<{ pk: number }>`
    SELECT p.pk FROM papers p WHERE ${indexedWhere} ORDER BY ${SORTED_AFTER_MATCHING[sort]} LIMIT ${want}`.execute(
    store.db,
  );
  return keys(all.rows);
}

interface PostgresSearchRequest {
  query: ParsedQuery;
  filters: SearchFilters;
  sort: SearchSort;
  offset: number;
  limit: number;
  ranking?: Ranking;
  /** papers walked in order before the index is asked (WALK); smaller in tests */
  walk?: number;
  /** papers looked at in order to tell whether the walk can find a page (PROBE); smaller in tests */
  probe?: number;
}

/**
 * Ranked keys of a relevance search, best first (rank.postgres.ts): for rare enough terms the index's best
 * matches, else the newest with the words in the title and the newest anywhere; then BM25F.
 */
async function rankedKeys(
  store: PostgresStore,
  request: PostgresSearchRequest,
  where: Where,
  tsquery: RawBuilder<unknown>,
  mode: 'all' | 'any',
  want: number,
): Promise<number[]> {
  const ranking = request.ranking ?? DEFAULT_RANKING;
  const steps = stepsOf(request);
  const terms = termWords(request.query);
  if (terms.length === 0) return firstMatches(store, where, 'relevance', want, steps);
  const stats = await corpusStatsPostgres(store, terms);
  const cost = terms.reduce((sum, t) => sum + (stats.df.get(t.term) ?? 0), 0);
  const budget = stats.docs > ranking.largeCollection ? ranking.exactBudgetLarge : ranking.exactBudget;
  let keys: number[];
  if (cost <= budget) {
    const factor = stats.docs > ranking.largeCollection ? LARGE_FIRST_PASS_FACTOR : FIRST_PASS_FACTOR;
    keys = await rankedByIndex(store, where, tsquery, Math.max(ranking.depth * factor, want));
  } else {
    const count = Math.max(ranking.newest, want);
    const { query } = request;
    const title = titleConditions(query, mode);
    // the words in the title imply the words anywhere when the query asks nothing else of the paper (no
    // exclusions, authors or categories): then the title index alone answers past the walk
    const titleAlone =
      query.excluded.length === 0 && query.authors.length === 0 && query.categories.length === 0;
    const inTitle = title
      ? await firstMatches(
          store,
          sql`${where} AND ${title.walk}`,
          'relevance',
          count,
          steps,
          count,
          titleAlone
            ? conditions(query, request.filters, tsquery, title.indexed)
            : sql`${where} AND ${title.indexed}`,
        )
      : [];
    keys =
      inTitle.length >= count
        ? inTitle
        : [...new Set([...inTitle, ...(await firstMatches(store, where, 'relevance', count, steps))])];
  }
  if (ranking.depth === 0) return keys;
  return rerankPostgres(store, terms, keys, ranking, stats);
}

/** One page of keys (and one more, to know a next page exists) in the request's order. */
async function pageKeys(
  store: PostgresStore,
  request: PostgresSearchRequest,
  tsquery: RawBuilder<unknown>,
  mode: 'all' | 'any',
): Promise<number[]> {
  const { query, filters, sort, offset, limit } = request;
  const where = conditions(query, filters, tsquery);
  const want = offset + limit + 1;
  if (sort !== 'relevance')
    return (await firstMatches(store, where, sort, want, stepsOf(request))).slice(offset);
  return (await rankedKeys(store, request, where, tsquery, mode, want)).slice(offset, want);
}

/**
 * The keys of one page (and one more, to know a next page exists), best or first in order, and whether the
 * query was widened to any word: what the page's papers are loaded from, and all the hybrid fusion needs.
 */
export async function searchKeysPostgres(
  store: PostgresStore,
  request: PostgresSearchRequest,
): Promise<{ keys: number[]; widened: boolean }> {
  const { query, offset } = request;
  const ranking = request.ranking ?? DEFAULT_RANKING;
  const groups = contentGroups(query).length;
  const long = groups > ranking.maxAllTerms;
  const tsquery = tsqueryOf(query, long ? 'any' : 'all');
  if (!tsquery) return { keys: [], widened: false };
  const keys = await pageKeys(store, request, tsquery, long ? 'any' : 'all');
  if (keys.length === 0 && offset === 0 && !long && groups > 1) {
    const any = tsqueryOf(query, 'any');
    if (any) return { keys: await pageKeys(store, request, any, 'any'), widened: true };
  }
  return { keys, widened: false };
}

export async function searchPapersPostgres(
  store: PostgresStore,
  request: PostgresSearchRequest,
): Promise<SearchResult> {
  const { keys, widened } = await searchKeysPostgres(store, request);
  const hits = await loadHitsPostgres(store, keys.slice(0, request.limit), queryTerms(request.query));
  return { hits, more: keys.length > request.limit, widened };
}

/**
 * The keys of the papers like one (PostgreSQL): those matching its title's words, best first, with the paper's
 * own key and the stemmed words to mark; null when there is no such paper.
 */
export async function similarKeysPostgres(
  store: PostgresStore,
  id: string,
  limit: number,
): Promise<{ pk: number; keys: number[]; terms: string[] } | null> {
  const paper = await store.db
    .selectFrom('papers')
    .select(['pk', 'title'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!paper) return null;
  const own = Number(paper.pk);
  const words = [...new Set(paper.title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])]
    .filter((w) => w.length > 2)
    .slice(0, 12);
  if (words.length === 0) return { pk: own, keys: [], terms: [] };
  const query: ParsedQuery = {
    groups: [words.map((w) => ({ words: [w], phrase: false }))],
    excluded: [],
    authors: [],
    categories: [],
    after: null,
    before: null,
    words,
  };
  const { keys } = await searchKeysPostgres(store, {
    query,
    filters: { category: null, featuredOnly: false, after: null, before: null },
    sort: 'relevance',
    offset: 0,
    limit: limit + 1,
  });
  return { pk: own, keys: keys.filter((k) => k !== own).slice(0, limit), terms: queryTerms(query) };
}

/** Papers like one (PostgreSQL): those matching its title's words, best first. */
export async function similarPapersPostgres(
  store: PostgresStore,
  id: string,
  limit: number,
): Promise<SearchHit[] | null> {
  const similar = await similarKeysPostgres(store, id, limit);
  if (!similar) return null;
  return loadHitsPostgres(store, similar.keys, similar.terms);
}
