import { decision, resetModel, trainLinearSvm } from './svm.ts';
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
}

export function recommendFor(
  positives: Positive[],
  negatives: Candidate[],
  candidates: Candidate[],
  options: RecommendOptions,
): Recommendation[] {
  if (positives.length === 0) return [];
  const own = new Set(positives.map((p) => p.id));
  const examples = [
    ...positives.map((p) => ({ x: p.x, y: 1 as const })),
    ...negatives.filter((n) => !own.has(n.id)).map((n) => ({ x: n.x, y: -1 as const })),
  ];
  const w = options.scratch ?? new Float64Array(DIMENSIONS + 1);
  const model = trainLinearSvm(examples, { c: options.c ?? 0.1 }, w);
  // the k best by decision value: a small sorted list (k ≪ candidates)
  const best: { i: number; s: number }[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const cand = candidates[i]!;
    if (own.has(cand.id)) continue;
    const s = decision(model, cand.x);
    if (best.length === options.k && s <= best[best.length - 1]!.s) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.s < s) at--;
    best.splice(at, 0, { i, s });
    if (best.length > options.k) best.pop();
  }
  resetModel(w, examples);
  return best.map(({ i, s }) => {
    const cand = candidates[i]!;
    let reason = positives[0]!;
    let similarity = -1;
    for (const p of positives) {
      const sim = sparseDot(cand.x, p.x);
      if (sim > similarity || (sim === similarity && p.kind === 'upvoted' && reason.kind !== 'upvoted')) {
        similarity = sim;
        reason = p;
      }
    }
    return { paperId: cand.id, score: s, reasonKind: reason.kind, reasonPaperId: reason.id };
  });
}
