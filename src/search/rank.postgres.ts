/**
 * Relevance on PostgreSQL, the SQLite way (search.sqlite.ts, docs/search.md): candidates first, then the same
 * BM25F re-rank (bm25f.ts) over their text, counted by the same tokenizer as SQLite's index (tokens.ts), so both
 * engines answer alike.
 * 1. candidates: when the query's terms are rare enough (Σ document counts within the budget), the best by the
 *    index's own order: `search <=> q` when the rum index is there (rum.postgres.ts), else ts_rank_cd over the
 *    matches; otherwise (a common word) the newest papers with the words in the title, and the newest anywhere.
 * 2. BM25F with the corpus statistics of this module: papers (counted exactly while the collection is small, the
 *    planner's estimate at most every STATS_SECONDS when large), average field lengths from up to AVERAGE_SAMPLE
 *    of the newest papers, and each term's document count (countTerms), cached until the collection grows 1 %.
 */
import { type RawBuilder, sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';
import { type CorpusStats, type DocTerms, FIELDS, rerankBm25f } from './bm25f.ts';
import type { FtsColumn } from './fts5.sqlite.ts';
import type { Ranking } from './ranking-params.ts';
import { hasRumIndex } from './rum.postgres.ts';
import { termFrequencies, termMatcher, tokenCount } from './tokens.ts';

/** Papers whose lengths make the averages; SciFact's 5,183 fit whole. */
const AVERAGE_SAMPLE = 10_000;
/** Above this many papers, the count is refreshed at most every STATS_SECONDS. */
const LARGE = 100_000;
const STATS_SECONDS = 30;
const STALE_GROWTH = 0.01;
const DF_CACHE_LIMIT = 100_000;
/** Past LARGE papers, a term's papers are counted up to this many, then estimated (countsUpTo). */
const COUNT_LIMIT = 500;
/**
 * The first pass ranks by ts_rank_cd or rum, not by FTS5's bm25(): it brings five times SQLite's depth, so the
 * re-rank finds most papers SQLite's first pass gives it. On SciFact's 300 claims the top 10s share 84 % of
 * their papers at 1×, 89 % at 5×, 93 % at 30× (every match), where stemmers and stop words differ
 * (docs/search.md, "On PostgreSQL").
 */
export const FIRST_PASS_FACTOR = 5;
/**
 * Past `largeCollection` papers, twice: there the first pass only runs for terms in at most 3,000 papers, and
 * reading 500 candidates' abstracts from TOAST cost 25 ms a search at 1M papers (200: 10 ms).
 */
export const LARGE_FIRST_PASS_FACTOR = 2;
/** ts_rank_cd weights for D, C, B, A: categories, abstract, authors, title. */
export const WEIGHTS = '{0.1, 0.3, 0.4, 1.0}';

interface Stats {
  docs: number;
  countedAt: number;
  version: string;
  avgLength: Record<FtsColumn, number>;
  /** docs when the averages and counts were made */
  sampledAt: number;
  counts: Map<string, number | Promise<number>>;
}

const caches = new WeakMap<PostgresStore, Stats>();

/** Past LARGE papers the planner's estimate (kept by ANALYZE), which costs nothing to read; exact while small. */
async function paperCount(store: PostgresStore): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT reltuples::bigint AS n FROM pg_class WHERE oid = 'papers'::regclass`.execute(store.db);
  const estimate = Number(rows[0]?.n ?? 0);
  if (estimate > LARGE) return estimate;
  const exact = await sql<{ n: number }>`SELECT count(*)::int AS n FROM papers`.execute(store.db);
  return Number(exact.rows[0]?.n ?? 0);
}

async function averages(store: PostgresStore): Promise<Record<FtsColumn, number>> {
  const { rows } = await sql<Record<FtsColumn, string>>`
    SELECT title, abstract, authors, categories FROM papers ORDER BY pk DESC LIMIT ${AVERAGE_SAMPLE}`.execute(
    store.db,
  );
  const avg = { title: 1, abstract: 1, authors: 1, categories: 1 } as Record<FtsColumn, number>;
  if (rows.length === 0) return avg;
  for (const field of FIELDS) {
    let total = 0;
    for (const row of rows) total += tokenCount(row[field] ?? '');
    avg[field] = total / rows.length || 1;
  }
  return avg;
}

const refreshing = new WeakMap<PostgresStore, Promise<Stats>>();

/**
 * The paper count and field averages, current enough (see the top of this file). Searches arriving while they
 * are made wait for the one refresh: ten connections to a fresh server made them ten times over (the count and
 * 10,000 papers' fields, 0.6 s at 1M papers), and their first searches timed out.
 */
async function baseStats(store: PostgresStore): Promise<Stats> {
  const stats = caches.get(store);
  // a large collection's figures hold for STATS_SECONDS whatever is written: no query at all on the hot path
  if (stats && stats.docs > LARGE && Date.now() - stats.countedAt < STATS_SECONDS * 1000) return stats;
  let refresh = refreshing.get(store);
  if (!refresh) {
    refresh = refreshStats(store, stats).finally(() => refreshing.delete(store));
    refreshing.set(store, refresh);
  }
  return refresh;
}

async function refreshStats(store: PostgresStore, previous: Stats | undefined): Promise<Stats> {
  let stats = previous;
  const now = Date.now();
  const version = await store.dataVersion();
  if (stats && stats.version === version) return stats;
  const docs = await paperCount(store);
  if (
    !stats ||
    docs > stats.sampledAt * (1 + STALE_GROWTH) ||
    docs < stats.sampledAt * (1 - STALE_GROWTH) ||
    (stats.sampledAt < LARGE && docs !== stats.sampledAt)
  ) {
    stats = {
      docs,
      countedAt: now,
      version,
      avgLength: await averages(store),
      sampledAt: docs,
      counts: new Map(),
    };
  } else stats = { ...stats, docs, countedAt: now, version };
  caches.set(store, stats);
  return stats;
}

/**
 * Papers holding each term. A common lexeme's share is in PostgreSQL's own statistics of the column (ANALYZE
 * keeps the most frequent lexemes of a tsvector with their frequencies, `pg_stats.most_common_elems`): counting
 * a word in 40 % of a million papers instead took seconds (the planner rightly reads the whole table for it).
 * The rest are rare enough to count through the GIN index. A word the English dictionary drops (a stop word:
 * "not", "can") counts as in every paper.
 */
async function countTerms(
  store: PostgresStore,
  terms: { term: string; word: string }[],
  docs: number,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ term: string; word: string; lexeme: string | null; freq: number | null }>`
    WITH t AS (
      SELECT t.term, t.word, (tsvector_to_array(to_tsvector('english', t.word)))[1] AS lexeme
      FROM unnest(${terms.map((t) => t.term)}::text[], ${terms.map((t) => t.word)}::text[]) AS t(term, word)
    ), s AS (
      SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs FROM pg_stats
      WHERE schemaname = current_schema() AND tablename = 'papers' AND attname = 'search'
    )
    SELECT t.term, t.word, t.lexeme, s.freqs[array_position(s.elems, t.lexeme)] AS freq
    FROM t LEFT JOIN s ON true`.execute(store.db);
  const counts = new Map<string, number>();
  const rare: { term: string; word: string }[] = [];
  for (const row of rows) {
    if (row.lexeme === null) counts.set(row.term, docs);
    else if (row.freq !== null) counts.set(row.term, Math.round(Number(row.freq) * docs));
    else rare.push(row);
  }
  if (rare.length === 0) return counts;
  if (docs > LARGE) {
    for (const [term, n] of await countsUpTo(store, rare, docs)) counts.set(term, n);
    return counts;
  }
  const exact = await sql<{ term: string; n: number }>`
    SELECT t.term, (SELECT count(*)::int FROM papers p WHERE p.search @@ to_tsquery('english', t.word)) AS n
    FROM unnest(${rare.map((t) => t.term)}::text[], ${rare.map((t) => t.word)}::text[]) AS t(term, word)`.execute(
    store.db,
  );
  for (const row of exact.rows) counts.set(row.term, Number(row.n));
  return counts;
}

/**
 * In a large collection, each term's papers counted up to COUNT_LIMIT and, past it, estimated from how far
 * through the papers the count got. Every match the GIN index gives is rechecked against its paper's vector
 * (~13 µs each): counting a word outside the planner's statistics exactly took 0.3–1.1 s at 1M papers
 * ("synthesis", 50,200 papers), the first time anyone searched for it. The papers are read in storage order,
 * which is the order they came in (pk), so the last pk reached tells the share of the collection counted. A
 * word more frequent in later years is then estimated low, at most by its papers' skew; BM25F takes the
 * logarithm of the count, and a term past COUNT_LIMIT is common enough for its candidates to be the newest
 * matches whatever the estimate.
 */
export async function countsUpTo(
  store: PostgresStore,
  terms: { term: string; word: string }[],
  docs: number,
  limit = COUNT_LIMIT,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ term: string; n: number; reached: number | null; lo: number; hi: number }>`
    WITH bounds AS (SELECT min(pk) AS lo, max(pk) AS hi FROM papers)
    SELECT t.term, c.n, c.reached, b.lo, b.hi
    FROM unnest(${terms.map((t) => t.term)}::text[], ${terms.map((t) => t.word)}::text[]) AS t(term, word)
    CROSS JOIN bounds b
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, max(m.pk) AS reached FROM (
        SELECT p.pk FROM papers p WHERE p.search @@ to_tsquery('english', t.word) LIMIT ${limit}
      ) m
    ) c`.execute(store.db);
  const counts = new Map<string, number>();
  for (const row of rows) {
    const n = Number(row.n);
    if (n < limit || row.reached === null) {
      counts.set(row.term, n);
      continue;
    }
    const share = (Number(row.reached) - Number(row.lo) + 1) / (Number(row.hi) - Number(row.lo) + 1);
    counts.set(row.term, Math.min(docs, Math.round(n / Math.max(share, n / docs))));
  }
  return counts;
}

/**
 * What BM25F needs for these terms. Each is counted once a process: searches asking at the same time wait for
 * the one count (ten connections asking for a new word must not count it ten times).
 */
export async function corpusStatsPostgres(
  store: PostgresStore,
  terms: { term: string; word: string }[],
): Promise<CorpusStats> {
  const stats = await baseStats(store);
  const missing = terms.filter((t) => !stats.counts.has(t.term));
  if (missing.length > 0) {
    if (stats.counts.size + missing.length > DF_CACHE_LIMIT) stats.counts.clear();
    const counting = countTerms(store, missing, stats.docs);
    counting.catch(() => {
      for (const t of missing) stats.counts.delete(t.term);
    });
    for (const t of missing)
      stats.counts.set(
        t.term,
        counting.then((counts) => counts.get(t.term) ?? 0),
      );
  }
  const df = new Map<string, number>();
  for (const t of terms) df.set(t.term, await (stats.counts.get(t.term) ?? 0));
  return { docs: stats.docs, avgLength: stats.avgLength, df };
}

/** The best `depth` matches by the index's own ranking: rum's `<=>` when present, else ts_rank_cd. */
export async function rankedByIndex(
  store: PostgresStore,
  where: RawBuilder<unknown>,
  tsquery: RawBuilder<unknown>,
  depth: number,
): Promise<number[]> {
  const order = (await hasRumIndex(store))
    ? sql`p.search <=> ${tsquery}, p.pk DESC`
    : sql`ts_rank_cd(${WEIGHTS}::float4[], p.search, ${tsquery}) DESC, p.pk DESC`;
  const { rows } = await sql<{ pk: number }>`
    SELECT p.pk FROM papers p WHERE ${where} ORDER BY ${order} LIMIT ${depth}`.execute(store.db);
  return rows.map((r) => Number(r.pk));
}

/** Candidates re-ranked by BM25F, best first (hidden papers drop out). */
export async function rerankPostgres(
  store: PostgresStore,
  terms: { term: string; word: string }[],
  pks: number[],
  ranking: Ranking,
  stats: CorpusStats,
): Promise<number[]> {
  if (pks.length === 0 || terms.length === 0) return pks;
  const { rows } = await sql<{ pk: number } & Record<FtsColumn, string>>`
    SELECT pk, title, abstract, authors, categories FROM papers
    WHERE pk = ANY(${pks}::int[]) AND hidden_at IS NULL`.execute(store.db);
  const stemmed = terms.map((t) => t.term);
  const matcher = termMatcher(stemmed);
  const byPk = new Map(rows.map((r) => [Number(r.pk), r]));
  const docs = pks.flatMap((pk) => {
    const row = byPk.get(pk);
    if (!row) return [];
    const doc: DocTerms = {
      lengths: FIELDS.map((field) => tokenCount(row[field] ?? '')),
      tf: FIELDS.map((field) => termFrequencies(row[field] ?? '', matcher)),
    };
    return [{ key: pk, doc }];
  });
  return rerankBm25f(stemmed, docs, stats, ranking.bm25f).map((r) => r.key);
}
