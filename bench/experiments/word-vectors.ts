/**
 * Word vectors trained on the collection itself, with no model and no dependency: skip-gram with negative
 * sampling (Mikolov et al., "Distributed Representations of Words and Phrases", 2013; the word2vec C code's
 * learning-rate schedule, subsampling and unigram^0.75 noise), or PPMI of a windowed co-occurrence matrix
 * factorised by a randomized truncated SVD (Levy, Goldberg & Dagan, "Improving Distributional Similarity with
 * Lessons Learned from Word Embeddings", 2015; Halko, Martinsson & Tropp, 2011). Pure and deterministic: every
 * random choice comes from a seeded PRNG, so the same corpus and options give the same vectors.
 *
 * A text's vector is the idf-weighted mean of its words' vectors, scaled to unit length; the re-ranking
 * experiment that uses them is bench/experiments/search-wordvec.ts (figures in docs/search.md). Not part of the site: it
 * lives in bench/experiments/ with the experiment until a ranking uses it.
 *
 * @example
 * const vocab = buildVocab(docs, 3);
 * const vectors = trainSkipGram(encode(docs, vocab), vocab, { dims: 100 });
 * const v = textVector(encode([queryTokens], vocab)[0]!, vocab, vectors, 100);
 */

import { isStopWord } from '../../src/search/stop-words.ts';
import { foldWord, stemWord } from '../../src/search/tokens.ts';

const TOKEN = /[\p{L}\p{N}]+/gu;

/** A text's content words as the index stems them (tokens.ts), stop words left out: what vectors are made of. */
export function contentTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    for (const part of foldWord(m[0]).match(TOKEN) ?? []) if (!isStopWord(part)) out.push(stemWord(part));
  }
  return out;
}

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Vocab {
  words: string[];
  index: Map<string, number>;
  /** occurrences of each word in the training texts */
  counts: Float64Array;
  /** texts each word occurs in */
  df: Float64Array;
  /** texts counted */
  docs: number;
}

/** Words seen at least `minCount` times, most frequent first (ties by word, so the order is stable). */
export function buildVocab(texts: string[][], minCount = 3): Vocab {
  const counts = new Map<string, number>();
  const df = new Map<string, number>();
  for (const text of texts) {
    for (const w of text) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const w of new Set(text)) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const words = [...counts]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  return {
    words,
    index: new Map(words.map((w, i) => [w, i])),
    counts: Float64Array.from(words, (w) => counts.get(w)!),
    df: Float64Array.from(words, (w) => df.get(w)!),
    docs: texts.length,
  };
}

/** Texts as word ids; words outside the vocabulary are dropped. */
export function encode(texts: string[][], vocab: Vocab): Int32Array[] {
  return texts.map((t) => {
    const ids: number[] = [];
    for (const w of t) {
      const i = vocab.index.get(w);
      if (i !== undefined) ids.push(i);
    }
    return Int32Array.from(ids);
  });
}

export interface SkipGramOptions {
  dims: number;
  /** largest distance between a word and its context (the window actually used is drawn in 1..window) */
  window: number;
  /** noise words per context word */
  negatives: number;
  epochs: number;
  /** starting learning rate, decayed linearly to ~0 */
  learningRate: number;
  /** subsampling threshold of frequent words (word2vec's -sample) */
  sample: number;
  seed: number;
}

export const DEFAULT_SKIP_GRAM: SkipGramOptions = {
  dims: 100,
  window: 5,
  negatives: 5,
  epochs: 5,
  learningRate: 0.025,
  sample: 1e-4,
  seed: 1,
};

const NOISE_TABLE = 1 << 20;

/** Skip-gram with negative sampling; returns the input vectors, vocab.words.length × dims, row-major. */
export function trainSkipGram(
  texts: Int32Array[],
  vocab: Vocab,
  options: Partial<SkipGramOptions> = {},
): Float32Array {
  const o = { ...DEFAULT_SKIP_GRAM, ...options };
  const V = vocab.words.length;
  const D = o.dims;
  const random = prng(o.seed);
  const input = new Float32Array(V * D);
  for (let i = 0; i < input.length; i++) input[i] = (random() - 0.5) / D;
  const output = new Float32Array(V * D);
  // noise distribution: unigram^0.75, as a table of word ids
  const noise = new Int32Array(NOISE_TABLE);
  let total = 0;
  for (let w = 0; w < V; w++) total += vocab.counts[w]! ** 0.75;
  let w = 0;
  let cumulative = vocab.counts[0]! ** 0.75 / total;
  for (let i = 0; i < NOISE_TABLE; i++) {
    noise[i] = w;
    if (i / NOISE_TABLE > cumulative && w < V - 1) {
      w++;
      cumulative += vocab.counts[w]! ** 0.75 / total;
    }
  }
  let tokens = 0;
  for (const t of texts) tokens += t.length;
  const keep = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    const f = vocab.counts[v]! / tokens;
    keep[v] = o.sample > 0 ? Math.min(1, (Math.sqrt(f / o.sample) + 1) * (o.sample / f)) : 1;
  }
  const grad = new Float32Array(D);
  const totalSteps = o.epochs * tokens;
  let step = 0;
  const kept = new Int32Array(texts.reduce((m, t) => Math.max(m, t.length), 0));
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const text of texts) {
      step += text.length;
      const lr = Math.max(o.learningRate * 1e-4, o.learningRate * (1 - step / (totalSteps + 1)));
      let n = 0;
      for (let i = 0; i < text.length; i++) if (random() < keep[text[i]!]!) kept[n++] = text[i]!;
      for (let i = 0; i < n; i++) {
        const center = kept[i]!;
        const span = 1 + Math.floor(random() * o.window);
        for (let j = Math.max(0, i - span); j <= Math.min(n - 1, i + span); j++) {
          if (j === i) continue;
          // the context word's input vector learns to predict the center word (as word2vec does)
          const inAt = kept[j]! * D;
          grad.fill(0);
          for (let k = 0; k <= o.negatives; k++) {
            let target: number;
            let label: number;
            if (k === 0) {
              target = center;
              label = 1;
            } else {
              target = noise[Math.floor(random() * NOISE_TABLE)]!;
              if (target === center) continue;
              label = 0;
            }
            const outAt = target * D;
            let dot = 0;
            for (let d = 0; d < D; d++) dot += input[inAt + d]! * output[outAt + d]!;
            const g = (label - sigmoid(dot)) * lr;
            for (let d = 0; d < D; d++) {
              grad[d]! += g * output[outAt + d]!;
              output[outAt + d]! += g * input[inAt + d]!;
            }
          }
          for (let d = 0; d < D; d++) input[inAt + d]! += grad[d]!;
        }
      }
    }
  }
  return input;
}

function sigmoid(x: number): number {
  if (x > 6) return 1;
  if (x < -6) return 0;
  return 1 / (1 + Math.exp(-x));
}

export interface PpmiSvdOptions {
  dims: number;
  /** co-occurrence window each side; a pair at distance d counts (window − d + 1) / window */
  window: number;
  /** context distribution smoothing (Levy et al.: 0.75) */
  alpha: number;
  /** singular values' exponent in the word vectors (0.5 is symmetric, 0 drops them) */
  eigenWeight: number;
  /** power iterations of the randomized SVD */
  powerIterations: number;
  oversample: number;
  seed: number;
}

export const DEFAULT_PPMI_SVD: PpmiSvdOptions = {
  dims: 100,
  window: 5,
  alpha: 0.75,
  eigenWeight: 0.5,
  powerIterations: 3,
  oversample: 20,
  seed: 1,
};

/** A sparse square matrix in compressed rows. */
export interface SparseRows {
  size: number;
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float32Array;
}

/** Windowed, distance-weighted co-occurrence counts, symmetric, as compressed rows. */
export function cooccurrences(texts: Int32Array[], size: number, window: number): SparseRows {
  let pairs = 0;
  for (const t of texts) for (let i = 0; i < t.length; i++) pairs += 2 * Math.min(window, t.length - 1 - i);
  // one number per pair: (row · size + column) · 16 + distance, sorted natively (exact in a double below
  // 2^24 words); a pair at distance d weighs (window − d + 1) / window
  const slots = 16;
  if (window >= slots) throw new Error(`window ${window} too large`);
  const keys = new Float64Array(pairs);
  let at = 0;
  for (const t of texts) {
    for (let i = 0; i < t.length; i++) {
      for (let d = 1; d <= window && i + d < t.length; d++) {
        const a = t[i]!;
        const b = t[i + d]!;
        keys[at++] = (a * size + b) * slots + d;
        keys[at++] = (b * size + a) * slots + d;
      }
    }
  }
  keys.sort();
  let distinct = 0;
  let last = -1;
  for (let i = 0; i < pairs; i++) {
    const cell = Math.floor(keys[i]! / slots);
    if (cell !== last) distinct++;
    last = cell;
  }
  const columns = new Int32Array(distinct);
  const values = new Float32Array(distinct);
  const rowStart = new Int32Array(size + 1);
  let n = -1;
  last = -1;
  for (let i = 0; i < pairs; i++) {
    const key = keys[i]!;
    const cell = Math.floor(key / slots);
    if (cell !== last) {
      n++;
      columns[n] = cell % size;
      rowStart[Math.floor(cell / size) + 1]!++;
      last = cell;
    }
    values[n]! += (window - (key - cell * slots) + 1) / window;
  }
  for (let r = 0; r < size; r++) rowStart[r + 1]! += rowStart[r]!;
  return { size, rowStart, columns, values };
}

/** Positive PMI of a co-occurrence matrix, context counts smoothed by ^alpha; zeros dropped. */
export function ppmi(counts: SparseRows, alpha: number): SparseRows {
  const { size, rowStart, columns, values } = counts;
  const rowSum = new Float64Array(size);
  const colSum = new Float64Array(size);
  for (let r = 0; r < size; r++) {
    for (let k = rowStart[r]!; k < rowStart[r + 1]!; k++) {
      rowSum[r]! += values[k]!;
      colSum[columns[k]!]! += values[k]!;
    }
  }
  let smoothedTotal = 0;
  for (let c = 0; c < size; c++) smoothedTotal += colSum[c]! ** alpha;
  const outStart = new Int32Array(size + 1);
  const outColumns: number[] = [];
  const outValues: number[] = [];
  for (let r = 0; r < size; r++) {
    for (let k = rowStart[r]!; k < rowStart[r + 1]!; k++) {
      const c = columns[k]!;
      const pmi = Math.log((values[k]! * smoothedTotal) / (rowSum[r]! * colSum[c]! ** alpha));
      if (pmi > 0) {
        outColumns.push(c);
        outValues.push(pmi);
      }
    }
    outStart[r + 1] = outColumns.length;
  }
  return {
    size,
    rowStart: outStart,
    columns: Int32Array.from(outColumns),
    values: Float32Array.from(outValues),
  };
}

/** out (size × k) = A · X (size × k), dense row-major. */
function multiply(a: SparseRows, x: Float64Array, k: number, transpose: boolean): Float64Array {
  const out = new Float64Array(a.size * k);
  for (let r = 0; r < a.size; r++) {
    for (let p = a.rowStart[r]!; p < a.rowStart[r + 1]!; p++) {
      const c = a.columns[p]!;
      const v = a.values[p]!;
      const [to, from] = transpose ? [c * k, r * k] : [r * k, c * k];
      for (let j = 0; j < k; j++) out[to + j]! += v * x[from + j]!;
    }
  }
  return out;
}

/** Orthonormalises the k columns of a (n × k, row-major) in place: modified Gram–Schmidt, twice. */
function orthonormalise(a: Float64Array, n: number, k: number): void {
  // columns made contiguous for the inner loops
  const cols = new Float64Array(n * k);
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) cols[j * n + r] = a[r * k + j]!;
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < k; j++) {
      const cj = j * n;
      for (let i = 0; i < j; i++) {
        const ci = i * n;
        let dot = 0;
        for (let r = 0; r < n; r++) dot += cols[ci + r]! * cols[cj + r]!;
        for (let r = 0; r < n; r++) cols[cj + r]! -= dot * cols[ci + r]!;
      }
      let norm = 0;
      for (let r = 0; r < n; r++) norm += cols[cj + r]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let r = 0; r < n; r++) cols[cj + r]! /= norm;
    }
  }
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) a[r * k + j] = cols[j * n + r]!;
}

/** Eigenvalues and eigenvectors (columns of `vectors`, k × k row-major) of a symmetric k × k matrix: Jacobi. */
export function symmetricEigen(m: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * k + q]! - a[p * k + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!;
          const arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!;
          const aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = a[i * k + i]!;
  return { values, vectors: v };
}

/**
 * The top `dims` left singular vectors of A, scaled by σ^eigenWeight: randomized range finder with power
 * iterations (Halko et al. 2011, algorithm 4.4), then the exact SVD of the small projected matrix through the
 * eigenvectors of B·Bᵀ. Returns size × dims, row-major.
 */
export function truncatedSvd(a: SparseRows, options: Partial<PpmiSvdOptions> = {}): Float32Array {
  const o = { ...DEFAULT_PPMI_SVD, ...options };
  const n = a.size;
  const k = Math.min(n, o.dims + o.oversample);
  const random = prng(o.seed);
  const omega = new Float64Array(n * k);
  // Gaussian by Box–Muller
  for (let i = 0; i < omega.length; i++)
    omega[i] = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  let q = multiply(a, omega, k, false);
  orthonormalise(q, n, k);
  for (let it = 0; it < o.powerIterations; it++) {
    const z = multiply(a, q, k, true);
    orthonormalise(z, n, k);
    q = multiply(a, z, k, false);
    orthonormalise(q, n, k);
  }
  // Bᵀ = Aᵀ Q (n × k); B Bᵀ = (Aᵀ Q)ᵀ (Aᵀ Q) (k × k)
  const bt = multiply(a, q, k, true);
  const bbt = new Float64Array(k * k);
  for (let r = 0; r < n; r++)
    for (let i = 0; i < k; i++) {
      const x = bt[r * k + i]!;
      if (x === 0) continue;
      for (let j = 0; j < k; j++) bbt[i * k + j]! += x * bt[r * k + j]!;
    }
  const { values, vectors } = symmetricEigen(bbt, k);
  const order = [...values.keys()].sort((x, y) => values[y]! - values[x]!).slice(0, o.dims);
  const out = new Float32Array(n * o.dims);
  for (let r = 0; r < n; r++)
    for (let d = 0; d < o.dims; d++) {
      const e = order[d]!;
      let u = 0;
      for (let j = 0; j < k; j++) u += q[r * k + j]! * vectors[j * k + e]!;
      out[r * o.dims + d] = u * Math.sqrt(Math.max(0, values[e]!)) ** o.eigenWeight;
    }
  return out;
}

/** PPMI of the corpus' co-occurrences, factorised: word vectors, vocab.words.length × dims. */
export function trainPpmiSvd(texts: Int32Array[], vocab: Vocab, options: Partial<PpmiSvdOptions> = {}) {
  const o = { ...DEFAULT_PPMI_SVD, ...options };
  return truncatedSvd(ppmi(cooccurrences(texts, vocab.words.length, o.window), o.alpha), o);
}

/** Robertson–Spärck Jones idf with +1 (as bm25f.ts), from the vocabulary's document counts. */
export function vocabIdf(vocab: Vocab): Float64Array {
  return vocab.df.map((df) => Math.log(1 + (vocab.docs - df + 0.5) / (df + 0.5)));
}

/** The idf-weighted mean of a text's word vectors (each scaled to unit length first), at unit length. */
export function textVector(ids: Int32Array, idfs: Float64Array, vectors: Float32Array, dims: number) {
  const out = new Float32Array(dims);
  for (const id of ids) {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += vectors[id * dims + d]! ** 2;
    if (norm === 0) continue;
    const w = idfs[id]! / Math.sqrt(norm);
    for (let d = 0; d < dims; d++) out[d]! += w * vectors[id * dims + d]!;
  }
  return normalise(out);
}

/** The mean of unit vectors (the direction every text shares, which centring removes). */
export function meanVector(vectors: Iterable<Float32Array>, dims: number): Float32Array {
  const mean = new Float32Array(dims);
  let n = 0;
  for (const v of vectors) {
    for (let d = 0; d < dims; d++) mean[d]! += v[d]!;
    n++;
  }
  for (let d = 0; d < dims; d++) mean[d]! /= Math.max(1, n);
  return mean;
}

/** v − mean, at unit length (a new vector). */
export function centre(v: Float32Array, mean: Float32Array): Float32Array {
  return normalise(v.map((x, d) => x - mean[d]!));
}

export function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < v.length; d++) v[d]! /= norm;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += a[d]! * b[d]!;
  return s;
}

/** Cosine of two words' vectors. */
export function wordSimilarity(vectors: Float32Array, dims: number, a: number, b: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let d = 0; d < dims; d++) {
    const x = vectors[a * dims + d]!;
    const y = vectors[b * dims + d]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

export type Normalisation = 'max' | 'z';

/**
 * Linear fusion of a candidate list's lexical scores with their vector similarities: the lexical score divided
 * by the list's best ('max') or both standardised over the list ('z'), plus λ × the similarity. Returns the
 * candidates' indexes, best first (ties keep the lexical order).
 */
export function fuseScores(
  lexical: number[],
  similarity: number[],
  lambda: number,
  normalisation: Normalisation = 'max',
): number[] {
  const n = lexical.length;
  const z = (xs: number[]) => {
    const mean = xs.reduce((s, x) => s + x, 0) / Math.max(1, n);
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, n)) || 1;
    return xs.map((x) => (x - mean) / sd);
  };
  let lex: number[];
  let sim: number[];
  if (normalisation === 'max') {
    const best = Math.max(...lexical, 0) || 1;
    lex = lexical.map((x) => x / best);
    sim = similarity;
  } else {
    lex = z(lexical);
    sim = z(similarity);
  }
  return lex
    .map((x, i) => ({ i, score: x + lambda * sim[i]! }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((r) => r.i);
}
