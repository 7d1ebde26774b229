/**
 * The ranking's parameters, one set for both engines: PostgreSQL (rank.postgres.ts) takes the same candidate
 * budgets and the same BM25F as SQLite (search.sqlite.ts), whose first-pass weights are FTS5's bm25() columns.
 */
import { type Bm25fParams, DEFAULT_BM25F } from './bm25f.ts';
import type { FtsColumn } from './fts5.sqlite.ts';

export interface Ranking {
  /** bm25() weights of the first pass: title, abstract, authors, categories */
  weights: Record<FtsColumn, number>;
  /** how many candidates the second pass re-ranks by BM25F; 0 keeps FTS5's bm25() order */
  depth: number;
  bm25f: Bm25fParams;
  /** queries with more content terms than this match any of them at once (a pasted claim or abstract) */
  maxAllTerms: number;
  /**
   * above this sum of the terms' document counts, candidates are the newest matches (see above); in
   * collections larger than `largeCollection` papers, above `exactBudgetLarge`
   */
  exactBudget: number;
  exactBudgetLarge: number;
  largeCollection: number;
  /** how many of the newest title matches, and of the newest matches anywhere, are candidates then */
  newest: number;
  /** from this many expected matches, date and upvote sorts walk the papers in order (sortedKeys) */
  scanSortFrom: number;
}

/** Tuned on half of the SciFact test queries (docs/search.md). */
export const DEFAULT_RANKING: Ranking = {
  weights: { title: 3, abstract: 1, authors: 1, categories: 0.5 },
  depth: 100,
  bm25f: DEFAULT_BM25F,
  maxAllTerms: 4,
  exactBudget: 20_000,
  exactBudgetLarge: 3_000,
  largeCollection: 100_000,
  newest: 50,
  scanSortFrom: 5_000,
};
