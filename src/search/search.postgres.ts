import { type RawBuilder, sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';
import { MARK_END, MARK_START } from '../papers/marks.ts';
import { paperFromRow } from '../papers/papers.store.ts';
import type { ParsedQuery, Term } from './query-parse.ts';
import type { SearchFilters, SearchHit, SearchResult, SearchSort } from './search.store.ts';

/**
 * The PostgreSQL twin of the SQLite search (search.sqlite.ts; the shared types in search.store.ts), with the same inputs and outputs: the parsed query
 * becomes a tsquery (groups ANDed, alternatives ORed, phrases with `<->`, exclusions with `!`, authors and
 * categories restricted to their weight labels B and D of the `search` vector), matches come from its GIN index
 * (or, for a common word, from walking the papers newest first), and snippets come from ts_headline for the page
 * only. Sorted by date or upvotes, the page is the first of all matches in that order. By relevance, the newest
 * CANDIDATES matches are ranked by ts_rank_cd: all of them when fewer match; for a common word, the newest, as
 * SQLite ranks the newest matches of a common word (docs/search.md). When no paper has every group, any group
 * is enough (as on SQLite). No BM25F re-ranking or vectors yet; suggestions are suggest.store.ts's.
 */
/**
 * 500: enough for 25 pages of 20, and a quarter of the time of 2,000 for a common word at 1M papers (finding and
 * ranking them: 5 ms instead of 20 for "transformer", docs/benchmarks.md). A deeper page asks for more.
 */
const CANDIDATES = 500;
/** ts_rank_cd weights for D, C, B, A: categories, abstract, authors, title. */
const WEIGHTS = '{0.1, 0.3, 0.4, 1.0}';
const HEADLINE = `StartSel=${MARK_START}, StopSel=${MARK_END}`;

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
  const groups = query.groups.map((g) => g.map(term).filter(Boolean)).filter((g) => g.length > 0);
  const parts = groups.map((g) => `(${g.join(' | ')})`);
  const required = mode === 'all' ? parts.join(' & ') : parts.length > 0 ? `(${parts.join(' | ')})` : '';
  const excluded = query.excluded
    .map(term)
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

function conditions(
  query: ParsedQuery,
  filters: SearchFilters,
  tsquery: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const after = [query.after, filters.after].filter(Boolean).sort().at(-1) ?? null;
  const before = [query.before, filters.before].filter(Boolean).sort()[0] ?? null;
  return sql`p.search @@ ${tsquery} AND p.hidden_at IS NULL
    ${after ? sql`AND p.published_at >= ${after}` : sql``}
    ${before ? sql`AND p.published_at < ${`${before}T99`}` : sql``}
    ${filters.category ? sql`AND EXISTS (SELECT 1 FROM paper_categories pc WHERE pc.paper_pk = p.pk AND pc.category = ${filters.category})` : sql``}
    ${filters.featuredOnly ? sql`AND EXISTS (SELECT 1 FROM features f2 WHERE f2.paper_id = p.id)` : sql``}`;
}

/** The order of each sort, newest first among equals (the indexes papers_published and papers_upvotes). */
const SORTED = {
  date: sql`p.published_at DESC NULLS LAST, p.pk DESC`,
  upvotes: sql`p.upvotes DESC, p.pk DESC`,
};
/** The same orders, spelled so that no index can give them: the planner must find the matches, then sort. */
const SORTED_AFTER_MATCHING = {
  date: sql`(p.published_at IS NULL), p.published_at DESC, p.pk DESC`,
  upvotes: sql`p.upvotes + 0 DESC, p.pk DESC`,
};
/** Papers walked in order (newest, or the sort's order) before matching the rest through the GIN index. */
const WALK = 5_000;
/**
 * By relevance, this many matches among the walked papers are enough to rank (when the page asks for no more):
 * a word in 2–10 % of papers then needs no pass over all its matches (SQLite ranks ~50 newest, D31).
 */
const ENOUGH_TO_RANK = 100;

type Where = ReturnType<typeof conditions>;

const keys = (rows: { pk: number | string }[]) => rows.map((r) => Number(r.pk));

/**
 * The first `want` matches in the sort's order (for relevance: newest first). Two bounded steps, whatever the
 * planner guesses about the words: the first `walk` papers in that order are checked one by one (a common word
 * finds its page there), then, when they hold too few, the matches among the rest come from the GIN index and
 * are sorted. A single `ORDER BY … LIMIT` leaves the choice to the planner, which walked all 1M papers (1.6 s) for
 * six made-up words it guessed to be in 30,000.
 */
async function firstMatches(
  store: PostgresStore,
  where: Where,
  sort: SearchSort,
  want: number,
  walk: number,
  least = want,
): Promise<number[]> {
  if (sort === 'relevance') {
    // the boundary is a subquery, not a number: told `pk > 995000`, the planner ANDed the pk range with the
    // word's whole GIN posting list (33 ms for "transformer" at 1M papers) instead of walking the 5,000 rows
    const newest = await sql<{ pk: number }>`
      SELECT p.pk FROM papers p
      WHERE p.pk > (SELECT coalesce(max(pk), 0) FROM papers) - ${walk} AND ${where}
      ORDER BY p.pk DESC LIMIT ${want}`.execute(store.db);
    const found = keys(newest.rows);
    if (found.length >= Math.min(want, Math.max(ENOUGH_TO_RANK, least))) return found;
    const older = await sql<{ pk: number }>`
      SELECT p.pk FROM papers p
      WHERE p.pk <= (SELECT coalesce(max(pk), 0) FROM papers) - ${walk} AND ${where}
      ORDER BY p.pk + 0 DESC LIMIT ${want - found.length}`.execute(store.db);
    return [...found, ...keys(older.rows)];
  }
  const walked = await sql<{ pk: number }>`
    SELECT p.pk FROM (
      SELECT p.pk, p.id, p.search, p.hidden_at, p.published_at, p.upvotes FROM papers p
      ORDER BY ${SORTED[sort]} LIMIT ${walk}
    ) p WHERE ${where} ORDER BY ${SORTED[sort]} LIMIT ${want}`.execute(store.db);
  // every match among the first `walk` papers in order: if enough, they are the first of all matches
  if (walked.rows.length >= want) return keys(walked.rows);
  const all = await sql<{ pk: number }>`
    SELECT p.pk FROM papers p WHERE ${where} ORDER BY ${SORTED_AFTER_MATCHING[sort]} LIMIT ${want}`.execute(
    store.db,
  );
  return keys(all.rows);
}

export async function searchPapersPostgres(
  store: PostgresStore,
  request: {
    query: ParsedQuery;
    filters: SearchFilters;
    sort: SearchSort;
    offset: number;
    limit: number;
    /** how many of the newest matches relevance ranks (CANDIDATES); smaller in tests */
    candidates?: number;
    /** papers walked in order before the index is asked (WALK); smaller in tests */
    walk?: number;
  },
): Promise<SearchResult> {
  const { query, filters, sort, offset, limit } = request;
  const all = tsqueryOf(query, 'all');
  if (!all) return { hits: [], more: false, widened: false };
  let tsquery = all;
  let widened = false;
  if (query.groups.length > 1) {
    const probe = await sql`SELECT 1 FROM papers p WHERE ${conditions(query, filters, all)} LIMIT 1`.execute(
      store.db,
    );
    const any = probe.rows.length === 0 ? tsqueryOf(query, 'any') : null;
    if (any) {
      tsquery = any;
      widened = true;
    }
  }
  const where = conditions(query, filters, tsquery);
  const walk = request.walk ?? WALK;
  let pagePks: number[];
  if (sort === 'relevance') {
    const want = Math.max(request.candidates ?? CANDIDATES, offset + limit + 1);
    const candidates = await firstMatches(store, where, sort, want, walk, offset + limit + 1);
    const ranked = await sql<{ pk: number }>`
      SELECT p.pk FROM papers p WHERE p.pk = ANY(${candidates}::int[])
      ORDER BY ts_rank_cd(${WEIGHTS}::float4[], p.search, ${tsquery}) DESC, p.pk DESC
      LIMIT ${limit + 1} OFFSET ${offset}`.execute(store.db);
    pagePks = keys(ranked.rows);
  } else {
    pagePks = (await firstMatches(store, where, sort, offset + limit + 1, walk)).slice(offset);
  }
  const page = sql`page AS (SELECT r.pk, r.position FROM unnest(${pagePks}::int[]) WITH ORDINALITY AS r(pk, position))`;
  const { rows } = await sql<Record<string, unknown>>`
    WITH ${page}
    SELECT p.*, r.position,
      ts_headline('english', p.title, ${tsquery}, ${`${HEADLINE}, HighlightAll=true`}) AS highlighted_title,
      ts_headline('english', p.abstract, ${tsquery}, ${`${HEADLINE}, MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=…`}) AS highlighted_summary,
      f.day AS featured_day, f.submitter AS submitter, f.submitted_at AS submitted_at
    FROM page r JOIN papers p ON p.pk = r.pk LEFT JOIN features f ON f.paper_id = p.id
    ORDER BY r.position`.execute(store.db);
  const hits: SearchHit[] = rows.slice(0, limit).map((row) => ({
    paper: paperFromRow(row as never),
    pk: Number(row.pk),
    highlightedTitle: String(row.highlighted_title ?? row.title),
    highlightedSummary: String(row.highlighted_summary ?? ''),
    featuredDay: (row.featured_day as string | null) ?? null,
    submitter: (row.submitter as string | null) ?? null,
    submittedAt: (row.submitted_at as string | null) ?? null,
  }));
  return { hits, more: rows.length > limit, widened };
}

/** Papers like one (PostgreSQL): those matching its title's words, best first. */
export async function similarPapersPostgres(
  store: PostgresStore,
  id: string,
  limit: number,
): Promise<SearchHit[] | null> {
  const paper = await store.db.selectFrom('papers').select(['title']).where('id', '=', id).executeTakeFirst();
  if (!paper) return null;
  const words = [...new Set(paper.title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])]
    .filter((w) => w.length > 2)
    .slice(0, 12);
  if (words.length === 0) return [];
  const query: ParsedQuery = {
    groups: [words.map((w) => ({ words: [w], phrase: false }))],
    excluded: [],
    authors: [],
    categories: [],
    after: null,
    before: null,
    words,
  };
  const result = await searchPapersPostgres(store, {
    query,
    filters: { category: null, featuredOnly: false, after: null, before: null },
    sort: 'relevance',
    offset: 0,
    limit: limit + 1,
  });
  return result.hits.filter((h) => h.paper.id !== id).slice(0, limit);
}
