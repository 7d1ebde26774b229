/**
 * Schedules written as times of day in UTC ("04:30,16:00"). Pure.
 *
 * @example nextDailyTime(['04:30'], Date.parse('2025-03-19T04:30:00Z')) // Date.parse('2025-03-20T04:30:00Z')
 */
export function nextDailyTime(times: readonly string[], after: number): number | null {
  if (times.length === 0) return null;
  const day = new Date(after);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  let best = Number.POSITIVE_INFINITY;
  for (const time of times) {
    const m = /^(\d{2}):(\d{2})$/.exec(time);
    if (!m) throw new Error(`not a time of day: ${time}`);
    const offset = (Number(m[1]) * 60 + Number(m[2])) * 60_000;
    // today's occurrence if still ahead, else tomorrow's
    const at = midnight + offset > after ? midnight + offset : midnight + 86_400_000 + offset;
    best = Math.min(best, at);
  }
  return best;
}
