/**
 * BM25F re-ranking of a candidate set. Pure. FTS5's bm25() fixes k1 = 1.2 and b = 0.75 and scores each column
 * apart; BM25F (Zaragoza et al., "Microsoft Cambridge at TREC-13", 2004; Robertson & Zaragoza, "The
 * Probabilistic Relevance Framework", 2009, §3.4) first adds up a term's weighted, length-normalised
 * frequencies over the fields, then saturates once:
 *
 *   tf~(t, d) = Σ_f  w_f · tf(t, d, f) / (1 − b_f + b_f · len(d, f) / avglen(f))
 *   score(d)  = Σ_t  idf(t) · tf~(t, d) / (k1 + tf~(t, d))
 *   idf(t)    = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
 *
 * The candidates come from FTS5 (search.sqlite.ts); their term frequencies from `termFrequencies` (tokens.ts)
 * and their field lengths from the index. A proximity bonus (pairs of query words close together) was tried
 * and lowered nDCG@10 on SciFact, so there is none (docs/search.md).
 *
 * @example
 * bm25fScore({ lengths: [8, 120, 4, 2], tf: [[1, 0], [3, 2], [0, 0], [0, 0]] }, idfs, DEFAULT_BM25F)
 */
import type { FtsColumn } from './fts5.sqlite.ts';

export interface FieldParams {
  weight: number;
  /** length normalisation, 0 (none) to 1 (full) */
  b: number;
}

export interface Bm25fParams {
  /** term frequency saturation */
  k1: number;
  fields: Record<FtsColumn, FieldParams>;
}

/**
 * Tuned on the odd-numbered half of the SciFact test queries (bench/search-quality.ts); the even half checks
 * them. See docs/search.md for the grid and the figures.
 */
export const DEFAULT_BM25F: Bm25fParams = {
  k1: 0.9,
  fields: {
    title: { weight: 3, b: 0.75 },
    abstract: { weight: 1, b: 0.75 },
    authors: { weight: 1, b: 0.3 },
    categories: { weight: 0.5, b: 0 },
  },
};

/** The columns, in index order (the order of `lengths` and `tf` below). */
export const FIELDS: FtsColumn[] = ['title', 'abstract', 'authors', 'categories'];

/** What the score needs of one document: tokens per field, and each query term's count per field. */
export interface DocTerms {
  /** tokens in each field, in FIELDS order */
  lengths: number[];
  /** tf[field][term]: occurrences of each query term in each field */
  tf: number[][];
}

export interface CorpusStats {
  /** documents in the index */
  docs: number;
  /** average tokens per field */
  avgLength: Record<FtsColumn, number>;
  /** documents containing each query term (any field) */
  df: Map<string, number>;
}

/** Robertson–Spärck Jones idf with the +1 that keeps it positive (as Lucene and FTS5 do). */
export function idf(docs: number, df: number): number {
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

/** The idf of each query term, in order. */
export function termIdfs(terms: string[], stats: CorpusStats): number[] {
  return terms.map((t) => idf(stats.docs, stats.df.get(t) ?? 0));
}

/** The BM25F score of one document. */
export function bm25fScore(
  doc: DocTerms,
  idfs: number[],
  avgLength: Record<FtsColumn, number>,
  params: Bm25fParams,
): number {
  let score = 0;
  for (let t = 0; t < idfs.length; t++) {
    let tf = 0;
    for (let f = 0; f < FIELDS.length; f++) {
      const count = doc.tf[f]![t]!;
      if (count === 0) continue;
      const field = FIELDS[f]!;
      const { weight, b } = params.fields[field];
      tf += (weight * count) / (1 - b + (b * doc.lengths[f]!) / (avgLength[field] || 1));
    }
    if (tf > 0) score += (idfs[t]! * tf) / (params.k1 + tf);
  }
  return score;
}

/**
 * Orders candidates by BM25F, best first; ties keep the candidates' order (FTS5's order).
 * Returns the candidates' keys with their scores.
 */
export function rerankBm25f<K>(
  terms: string[],
  candidates: { key: K; doc: DocTerms }[],
  stats: CorpusStats,
  params: Bm25fParams,
): { key: K; score: number }[] {
  const idfs = termIdfs(terms, stats);
  return candidates
    .map((c, order) => ({ key: c.key, score: bm25fScore(c.doc, idfs, stats.avgLength, params), order }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ key, score }) => ({ key, score }));
}
