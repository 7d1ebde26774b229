/**
 * Trending: upvotes decayed by age, as a score that is stored and only changes when upvotes do
 * (the Lobsters "hotness" idea: newer items start higher, so old ones sink with no batch job).
 *
 *   trending = log10(1 + upvotes) + (featuredAt − EPOCH) / TIME_SCALE
 *
 * One TIME_SCALE newer is worth ten times the upvotes: with TIME_SCALE = 1 day, a paper featured today
 * with 10 upvotes ties one featured yesterday with 109. The formula is explained in docs/ranking.md.
 */
export const TRENDING_EPOCH_MS = Date.UTC(2020, 0, 1);
export const TRENDING_TIME_SCALE_MS = 24 * 60 * 60 * 1000;

/** @example trendingScore(0, '2020-01-02T00:00:00.000Z') // 1 */
export function trendingScore(upvotes: number, featuredAt: string | Date): number {
  const at = typeof featuredAt === 'string' ? Date.parse(featuredAt) : featuredAt.getTime();
  const votes = Math.max(0, upvotes);
  return Math.log10(1 + votes) + (at - TRENDING_EPOCH_MS) / TRENDING_TIME_SCALE_MS;
}
