import { resetModel, trainLinearSvm } from './svm.ts';
import { DIMENSIONS, type SparseVector, sparseDot } from './tfidf.ts';

/**
 * "For you", arxiv-sanity-lite style: a linear SVM per member on tf-idf vectors, the member's upvoted and
 * collected papers as positives and a sample of other papers as negatives; the candidates are ranked by the
 * SVM's decision value, and each recommendation names the positive most similar to it (cosine) as its reason.
 * Every ranking function returns the same shape (ids with scores), as arxiv-sanity-lite's do. Pure.
 */
export interface Positive {
  id: string;
  kind: 'upvoted' | 'collected';
  x: SparseVector;
}

export interface Candidate {
  id: string;
  x: SparseVector;
}

export interface Recommendation {
  paperId: string;
  score: number;
  reasonKind: 'upvoted' | 'collected';
  reasonPaperId: string;
}

export interface RecommendOptions {
  /** how many to keep */
  k: number;
  c?: number;
  /** a scratch weight array of DIMENSIONS + 1 zeros, reused between members (left zeroed) */
  scratch?: Float64Array;
  /** a scratch array for the 32-bit copy of the weights, reused between members */
  scratch32?: Float32Array;
}

/**
 * The candidates as one compressed sparse row matrix (contiguous indices and values): scoring 20,000 papers
 * for every member is the job's inner loop, and one pass over two typed arrays is about twice as fast as
 * visiting 20,000 small vectors.
 */
export interface CandidateMatrix {
  ids: string[];
  offsets: Uint32Array;
  idx: Uint32Array;
  val: Float32Array;
}

export function candidateMatrix(candidates: Candidate[]): CandidateMatrix {
  const offsets = new Uint32Array(candidates.length + 1);
  for (let i = 0; i < candidates.length; i++) offsets[i + 1] = offsets[i]! + candidates[i]!.x.idx.length;
  const idx = new Uint32Array(offsets[candidates.length]!);
  const val = new Float32Array(offsets[candidates.length]!);
  for (let i = 0; i < candidates.length; i++) {
    idx.set(candidates[i]!.x.idx, offsets[i]!);
    val.set(candidates[i]!.x.val, offsets[i]!);
  }
  return { ids: candidates.map((c) => c.id), offsets, idx, val };
}

function row(m: CandidateMatrix, i: number): SparseVector {
  return {
    idx: m.idx.subarray(m.offsets[i]!, m.offsets[i + 1]!),
    val: m.val.subarray(m.offsets[i]!, m.offsets[i + 1]!),
  };
}

export function recommendFor(
  positives: Positive[],
  negatives: Candidate[],
  candidateList: Candidate[] | CandidateMatrix,
  options: RecommendOptions,
): Recommendation[] {
  const candidates = Array.isArray(candidateList) ? candidateMatrix(candidateList) : candidateList;
  if (positives.length === 0) return [];
  const own = new Set(positives.map((p) => p.id));
  const examples = [
    ...positives.map((p) => ({ x: p.x, y: 1 as const })),
    ...negatives.filter((n) => !own.has(n.id)).map((n) => ({ x: n.x, y: -1 as const })),
  ];
  const w = options.scratch ?? new Float64Array(DIMENSIONS + 1);
  const model = trainLinearSvm(examples, { c: options.c ?? 0.1 }, w);
  // scoring reads the weights at random: 32-bit floats halve the memory it touches (1 MB, cache-friendlier)
  const w32 = options.scratch32 ?? new Float32Array(DIMENSIONS + 1);
  w32.set(model.w);
  const bias = model.w[DIMENSIONS]!;
  // the k best by decision value: a small sorted list (k ≪ candidates)
  const best: { i: number; s: number }[] = [];
  const { offsets, idx, val } = candidates;
  const n = candidates.ids.length;
  for (let i = 0; i < n; i++) {
    let s = bias;
    for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) s += val[k]! * w32[idx[k]!]!;
    if (best.length === options.k && s <= best[best.length - 1]!.s) continue;
    if (own.has(candidates.ids[i]!)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.s < s) at--;
    best.splice(at, 0, { i, s });
    if (best.length > options.k) best.pop();
  }
  resetModel(w, examples);
  return best.map(({ i, s }) => {
    const x = row(candidates, i);
    let reason = positives[0]!;
    let similarity = -1;
    for (const p of positives) {
      const sim = sparseDot(x, p.x);
      if (sim > similarity || (sim === similarity && p.kind === 'upvoted' && reason.kind !== 'upvoted')) {
        similarity = sim;
        reason = p;
      }
    }
    return { paperId: candidates.ids[i]!, score: s, reasonKind: reason.kind, reasonPaperId: reason.id };
  });
}
