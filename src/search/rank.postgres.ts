/**
 * Relevance on PostgreSQL, the SQLite way (search.sqlite.ts, docs/search.md): candidates first, then the same
 * BM25F re-rank (bm25f.ts) over their text, counted by the same tokenizer as SQLite's index (tokens.ts), so both
 * engines answer alike.
 * 1. candidates: when the query's terms are rare enough (Σ document counts within the budget), the best by the
 *    index's own order: `search <=> q` when the rum index is there (rum.postgres.ts), else ts_rank_cd over the
 *    matches; otherwise (a common word) the newest papers with the words in the title, and the newest anywhere.
 * 2. BM25F with the corpus statistics of this module: papers (counted exactly while the collection is small, at
 *    most every STATS_SECONDS when large), average field lengths from up to AVERAGE_SAMPLE of the newest papers,
 *    and each term's document count from the GIN index, cached until the collection grows by 1 %.
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
/**
 * The first pass ranks by ts_rank_cd or rum, not by FTS5's bm25(): it brings five times SQLite's depth, so the
 * re-rank finds most papers SQLite's first pass gives it. On SciFact's 300 claims the top 10s share 84 % of
 * their papers at 1×, 89 % at 5×, 93 % at 30× (every match), where stemmers and stop words differ
 * (docs/search.md, "On PostgreSQL").
 */
export const FIRST_PASS_FACTOR = 5;
/** ts_rank_cd weights for D, C, B, A: categories, abstract, authors, title. */
export const WEIGHTS = '{0.1, 0.3, 0.4, 1.0}';

interface Stats {
  docs: number;
  countedAt: number;
  version: string;
  avgLength: Record<FtsColumn, number>;
  /** docs when the averages and counts were made */
  sampledAt: number;
  counts: Map<string, number>;
}

const caches = new WeakMap<PostgresStore, Stats>();

async function paperCount(store: PostgresStore): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM papers`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
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

/** The paper count and field averages, current enough (see the top of this file). */
async function baseStats(store: PostgresStore): Promise<Stats> {
  const version = await store.dataVersion();
  let stats = caches.get(store);
  const now = Date.now();
  const fresh =
    stats &&
    (stats.version === version || (stats.docs > LARGE && now - stats.countedAt < STATS_SECONDS * 1000));
  if (stats && fresh) return stats;
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

/** What BM25F needs for these terms, each counted through a query word that stems to it. */
export async function corpusStatsPostgres(
  store: PostgresStore,
  terms: { term: string; word: string }[],
): Promise<CorpusStats> {
  const stats = await baseStats(store);
  const df = new Map<string, number>();
  const missing = terms.filter((t) => !stats.counts.has(t.term));
  if (missing.length > 0) {
    // one statement for all: each term's count from its own GIN lookup
    const { rows } = await sql<{ term: string; n: number }>`
      SELECT t.term, CASE WHEN numnode(to_tsquery('english', t.word)) = 0 THEN NULL
        ELSE (SELECT count(*)::int FROM papers p WHERE p.search @@ to_tsquery('english', t.word)) END AS n
      FROM unnest(${missing.map((t) => t.term)}::text[], ${missing.map((t) => t.word)}::text[]) AS t(term, word)`.execute(
      store.db,
    );
    if (stats.counts.size + rows.length > DF_CACHE_LIMIT) stats.counts.clear();
    // a word PostgreSQL's English dictionary drops (a stop word: "not", "can") is in nearly every paper
    for (const row of rows) stats.counts.set(row.term, row.n === null ? stats.docs : Number(row.n));
  }
  for (const t of terms) df.set(t.term, stats.counts.get(t.term) ?? 0);
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
