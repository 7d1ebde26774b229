/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each list gives a paper 1 / (k + rank),
 * rank from 1; the sums order the fused list. It needs no score calibration between BM25 and cosine
 * similarity, which is why it is the usual way to make hybrid search. Pure.
 *
 * @example reciprocalRankFusion([[1, 2, 3], [3, 1]]) // [1, 3, 2]
 */
export const RRF_K = 60;

export function reciprocalRankFusion<K>(lists: K[][], k = RRF_K, weights: number[] = []): K[] {
  const scores = new Map<K, { score: number; first: number }>();
  let order = 0;
  lists.forEach((list, l) => {
    const weight = weights[l] ?? 1;
    list.forEach((key, rank) => {
      const entry = scores.get(key) ?? { score: 0, first: order++ };
      entry.score += weight / (k + rank + 1);
      scores.set(key, entry);
    });
  });
  return [...scores.entries()]
    .sort((a, b) => b[1].score - a[1].score || a[1].first - b[1].first)
    .map(([key]) => key);
}
