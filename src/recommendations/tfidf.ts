import { STOP_WORDS } from '../keywords/stopwords.ts';

/**
 * tf-idf features of paper text with the hashing trick (Weinberger et al. 2009): words and word pairs are
 * hashed (FNV-1a, 32 bit) into 2^18 buckets, so no vocabulary is kept and any new paper can be vectorised.
 * Weights are sublinear tf · idf (1 + ln tf) · idf, the vector L2-normalised, as scikit-learn's
 * TfidfVectorizer(sublinear_tf=True) that arxiv-sanity-lite uses. Pure.
 */
export const HASH_BITS = 18;
export const DIMENSIONS = 1 << HASH_BITS;
const MASK = DIMENSIONS - 1;

export interface SparseVector {
  /** bucket indices, increasing */
  idx: Uint32Array;
  val: Float32Array;
}

/** FNV-1a over the UTF-16 code units of a string. */
export function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & MASK;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}-]*/gu;

/** Lower-cased words (stop words and 1-letter words out) and adjacent pairs, as bucket indices. */
export function textBuckets(text: string): number[] {
  const words: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) {
    const w = m[0];
    if (w.length > 1 && !STOP_WORDS.has(w) && w.length < 40) words.push(w);
  }
  const out: number[] = [];
  for (let i = 0; i < words.length; i++) {
    out.push(hashToken(words[i]!));
    if (i > 0) out.push(hashToken(`${words[i - 1]} ${words[i]}`));
  }
  return out;
}

/** Document frequencies → idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smooth idf). */
export function idfFromDocuments(documents: Iterable<number[]>): Float32Array {
  const df = new Uint32Array(DIMENSIONS);
  let n = 0;
  const seen = new Uint32Array(DIMENSIONS);
  for (const buckets of documents) {
    n++;
    for (const b of buckets) {
      if (seen[b] === n) continue;
      seen[b] = n;
      df[b]!++;
    }
  }
  const idf = new Float32Array(DIMENSIONS);
  for (let b = 0; b < DIMENSIONS; b++) idf[b] = Math.log((1 + n) / (1 + df[b]!)) + 1;
  return idf;
}

/**
 * The most a vector keeps: the terms of largest weight. An abstract has ~210 distinct words and pairs; the top
 * 96 carry most of the weight, and training and scoring cost grows with the count (docs/benchmarks.md).
 */
export const MAX_TERMS = 96;

/** Buckets → an L2-normalised tf-idf vector of at most MAX_TERMS terms. */
export function vectorize(buckets: number[], idf: Float32Array, maxTerms = MAX_TERMS): SparseVector {
  // sorted bucket list → runs are the counts
  const sorted = Uint32Array.from(buckets).sort();
  const keys: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    const b = sorted[i]!;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === b) j++;
    keys.push(b);
    weights.push((1 + Math.log(j - i)) * idf[b]!);
    i = j;
  }
  let order = keys.map((_, i) => i);
  if (order.length > maxTerms) {
    order = order.sort((a, b) => weights[b]! - weights[a]! || keys[a]! - keys[b]!).slice(0, maxTerms);
    order.sort((a, b) => keys[a]! - keys[b]!);
  }
  const idx = new Uint32Array(order.length);
  const val = new Float32Array(order.length);
  let norm = 0;
  for (let i = 0; i < order.length; i++) {
    const v = weights[order[i]!]!;
    idx[i] = keys[order[i]!]!;
    val[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < val.length; i++) val[i]! /= norm;
  return { idx, val };
}

/** Sparse · dense. */
export function dot(x: SparseVector, w: Float64Array | Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.idx.length; i++) s += x.val[i]! * w[x.idx[i]!]!;
  return s;
}

/** Sparse · sparse (both sorted). */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const ai = a.idx[i]!;
    const bj = b.idx[j]!;
    if (ai === bj) {
      s += a.val[i]! * b.val[j]!;
      i++;
      j++;
    } else if (ai < bj) i++;
    else j++;
  }
  return s;
}
