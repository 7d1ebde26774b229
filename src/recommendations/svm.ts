import { DIMENSIONS, type SparseVector } from './tfidf.ts';

/**
 * A linear SVM (hinge loss, L2 regularisation) trained by dual coordinate descent (Hsieh et al., "A dual
 * coordinate descent method for large-scale linear SVM", ICML 2008: the algorithm of LIBLINEAR, which
 * scikit-learn's LinearSVC runs for arxiv-sanity-lite). Classes are weighted "balanced" (C · n / (2 · n_class)),
 * as arxiv-sanity-lite does, so 20 positives against 2,000 negatives still count. A bias is learned as a
 * constant feature. Pure, deterministic (a seeded shuffle).
 *
 * Dual problem: min ½ αᵀQα − Σα, 0 ≤ α_i ≤ C_i, Q_ij = y_i y_j x_iᵀx_j; w = Σ α_i y_i x_i. Each step updates one
 * α_i in closed form: G = y_i wᵀx_i − 1, α_i ← clip(α_i − G / Q_ii, 0, C_i).
 */
export interface SvmOptions {
  /** regularisation (arxiv-sanity-lite: 0.1) */
  c?: number;
  maxEpochs?: number;
  /** stop when the largest projected gradient of an epoch is below this */
  tolerance?: number;
  seed?: number;
}

export interface LinearModel {
  /** DIMENSIONS weights, then the bias at index DIMENSIONS */
  w: Float64Array;
  epochs: number;
}

const BIAS = 1;

/**
 * @param w a scratch array of DIMENSIONS + 1 zeros to train into (reused across members: `resetModel` zeroes
 *          only what training touched)
 */
export function trainLinearSvm(
  examples: { x: SparseVector; y: 1 | -1 }[],
  options: SvmOptions = {},
  w: Float64Array = new Float64Array(DIMENSIONS + 1),
): LinearModel {
  const c = options.c ?? 0.1;
  // a ranking needs the order of scores, not a tight optimum: LIBLINEAR's default tolerance is 0.1
  const maxEpochs = options.maxEpochs ?? 10;
  const tolerance = options.tolerance ?? 1e-2;
  const n = examples.length;
  const positives = examples.filter((e) => e.y === 1).length;
  const negatives = n - positives;
  const cPos = positives > 0 ? (c * n) / (2 * positives) : c;
  const cNeg = negatives > 0 ? (c * n) / (2 * negatives) : c;
  const alpha = new Float64Array(n);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = examples[i]!.x;
    let s = BIAS * BIAS;
    for (let k = 0; k < x.val.length; k++) s += x.val[k]! * x.val[k]!;
    qii[i] = s;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  let state = options.seed ?? 42;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  let epoch = 0;
  for (; epoch < maxEpochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let maxPg = 0;
    for (const i of order) {
      const { x, y } = examples[i]!;
      let wx = w[DIMENSIONS]! * BIAS;
      for (let k = 0; k < x.idx.length; k++) wx += w[x.idx[k]!]! * x.val[k]!;
      const g = y * wx - 1;
      const ci = y === 1 ? cPos : cNeg;
      const a = alpha[i]!;
      const pg = a === 0 ? Math.min(g, 0) : a === ci ? Math.max(g, 0) : g;
      maxPg = Math.max(maxPg, Math.abs(pg));
      if (pg === 0) continue;
      const next = Math.min(Math.max(a - g / qii[i]!, 0), ci);
      const delta = (next - a) * y;
      if (delta === 0) continue;
      alpha[i] = next;
      for (let k = 0; k < x.idx.length; k++) w[x.idx[k]!]! += delta * x.val[k]!;
      w[DIMENSIONS]! += delta * BIAS;
    }
    if (maxPg < tolerance) break;
  }
  return { w, epochs: epoch + 1 };
}

/** Zeroes what training on these examples touched, so the array can train the next member. */
export function resetModel(w: Float64Array, examples: { x: SparseVector }[]): void {
  for (const { x } of examples) for (let k = 0; k < x.idx.length; k++) w[x.idx[k]!] = 0;
  w[DIMENSIONS] = 0;
}

/** The decision value wᵀx + b. */
export function decision(model: LinearModel, x: SparseVector): number {
  let s = model.w[DIMENSIONS]! * BIAS;
  for (let k = 0; k < x.idx.length; k++) s += model.w[x.idx[k]!]! * x.val[k]!;
  return s;
}
