/**
 * Term-proximity scores for re-ranking: how close together a query's terms occur in a document. Pure; used by
 * the experiment bench/experiments/search-proximity.ts (not part of the site). Positions are those of the index's token
 * stream (`indexTokens`, tokens.ts: every word counts, stop words included, as FTS5's NEAR counts them); each
 * field (title, abstract) is its own stream, so no pair spans the two.
 *
 * Three scores, each a sum over pairs of distinct query terms (a, b) weighted by min(idf a, idf b):
 *
 * - `minDist`: 1 / (1 + d), d the smallest distance between an occurrence of a and one of b in any field
 *   (adjacent words: d = 1). Every pair of query terms counts.
 * - `bm25tp`: BM25-TP (Rasolofo & Savoy, "Term Proximity Scoring for Keyword-Based Retrieval Systems", ECIR
 *   2003): acc = Σ 1/d² over occurrence pairs of a and b at most `window` apart, saturated as
 *   acc·(k1 + 1) / (K + acc), K = k1·(1 − b + b·len/avglen). Every pair of query terms counts.
 * - `sequential`: the sequential-dependence idea (Metzler & Croft, SIGIR 2005) with BM25 saturation: only pairs
 *   of terms next to each other in the query; occurrences of a followed by b at most `orderedWindow` later
 *   (ordered), and of a and b at most `unorderedWindow` apart in either order (unordered), each count
 *   saturated as c / (1 + c) and added.
 *
 * @example
 * const p = termPositions([indexTokens('Aspirin lowers stroke risk')], ['aspirin', 'stroke']);
 * proximityScores(p, [2, 3], [4], 5).minDist // 2 · 1 / (1 + 2)
 */

export interface ProximityOptions {
  /** BM25-TP: the widest distance that counts */
  window: number;
  k1: number;
  b: number;
  /** sequential pairs: b at most this many positions after a */
  orderedWindow: number;
  /** sequential pairs: a and b at most this many positions apart, either order */
  unorderedWindow: number;
}

export const DEFAULT_PROXIMITY: ProximityOptions = {
  window: 5,
  k1: 1.2,
  b: 0.75,
  orderedWindow: 2,
  unorderedWindow: 8,
};

export interface ProximityScores {
  minDist: number;
  bm25tp: number;
  sequential: number;
}

/** For each field's token stream, each query term's positions (ascending); terms are index stems. */
export function termPositions(fields: string[][], terms: string[]): number[][][] {
  const index = new Map(terms.map((t, i) => [t, i]));
  return fields.map((tokens) => {
    const out: number[][] = terms.map(() => []);
    tokens.forEach((tok, pos) => {
      const i = index.get(tok);
      if (i !== undefined) out[i]!.push(pos);
    });
    return out;
  });
}

/** The smallest |p − q| for p in a, q in b (both ascending), or Infinity if either is empty. */
export function minDistance(a: number[], b: number[]): number {
  let i = 0;
  let j = 0;
  let best = Number.POSITIVE_INFINITY;
  while (i < a.length && j < b.length) {
    const d = a[i]! - b[j]!;
    if (Math.abs(d) < best) best = Math.abs(d);
    if (d < 0) i++;
    else j++;
  }
  return best;
}

/** Σ 1/d² over pairs (p in a, q in b) with 0 < |p − q| ≤ window. */
function pairAccumulator(a: number[], b: number[], window: number): number {
  let acc = 0;
  let start = 0;
  for (const p of a) {
    while (start < b.length && b[start]! < p - window) start++;
    for (let j = start; j < b.length && b[j]! <= p + window; j++) {
      const d = Math.abs(b[j]! - p);
      if (d > 0) acc += 1 / (d * d);
    }
  }
  return acc;
}

/** Occurrences of a with b at most `window` after it (ordered), or at most `window` away either side. */
function windowCount(a: number[], b: number[], window: number, ordered: boolean): number {
  let count = 0;
  let start = 0;
  for (const p of a) {
    while (start < b.length && b[start]! < (ordered ? p + 1 : p - window)) start++;
    const q = b[start];
    if (q !== undefined && q <= p + window && q !== p) count++;
  }
  return count;
}

/**
 * Proximity scores of one document: `positions` from termPositions (per field, per query term), `idfs` per
 * query term (query order), `lengths` per field (tokens) and their averages for BM25-TP's length normalisation
 * (the fields' lengths are added up).
 */
export function proximityScores(
  positions: number[][][],
  idfs: number[],
  lengths: number[],
  avgLength: number,
  options: Partial<ProximityOptions> = {},
): ProximityScores {
  const o = { ...DEFAULT_PROXIMITY, ...options };
  const n = idfs.length;
  const len = lengths.reduce((s, x) => s + x, 0);
  const K = o.k1 * (1 - o.b + (o.b * len) / Math.max(1, avgLength));
  let minDist = 0;
  let bm25tp = 0;
  let sequential = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const w = Math.min(idfs[a]!, idfs[b]!);
      let d = Number.POSITIVE_INFINITY;
      let acc = 0;
      let ordered = 0;
      let unordered = 0;
      for (const field of positions) {
        const pa = field[a]!;
        const pb = field[b]!;
        if (pa.length === 0 || pb.length === 0) continue;
        d = Math.min(d, minDistance(pa, pb));
        acc += pairAccumulator(pa, pb, o.window);
        if (b === a + 1) {
          ordered += windowCount(pa, pb, o.orderedWindow, true);
          unordered += windowCount(pa, pb, o.unorderedWindow, false);
        }
      }
      if (Number.isFinite(d)) minDist += w / (1 + d);
      if (acc > 0) bm25tp += (w * acc * (o.k1 + 1)) / (K + acc);
      sequential += w * (ordered / (1 + ordered) + unordered / (1 + unordered));
    }
  }
  return { minDist, bm25tp, sequential };
}

/**
 * Linear fusion of a candidate list: lexical / max(lexical) + Σ λ_k · feature_k / max(feature_k), or + λ_k ·
 * feature_k as it is when `raw` (a cosine, as search-wordvec.ts's 'max' fusion adds it). A feature that is 0
 * everywhere adds nothing. Returns the candidates' indexes, best first (ties keep the lexical order).
 */
export function fuseLinear(
  lexical: number[],
  features: { values: number[]; lambda: number; raw?: boolean }[],
): number[] {
  const scaled = (xs: number[]) => {
    const best = Math.max(...xs, 0) || 1;
    return xs.map((x) => x / best);
  };
  const score = scaled(lexical);
  for (const f of features) {
    if (f.lambda === 0) continue;
    const s = f.raw ? f.values : scaled(f.values);
    for (let i = 0; i < score.length; i++) score[i]! += f.lambda * s[i]!;
  }
  return score
    .map((s, i) => ({ i, s }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((r) => r.i);
}
