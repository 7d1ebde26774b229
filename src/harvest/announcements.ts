/**
 * arXiv's announcement days, for the admin page's "no new papers" warning. arXiv publishes new papers Sunday to
 * Thursday evenings, US Eastern time; OAI-PMH has them around 22:30 ET (../shared/data/arxiv_responses/README.md,
 * rule 11). Holidays (a handful a year, listed on arXiv's site) are not known here, so a warning over a holiday
 * is possible and says so. Pure.
 */

/** When the OAI updates of an announcement are out, local Eastern time. */
const UPDATE_HOUR_ET = 22;
const UPDATE_MINUTE_ET = 30;
/** How long after that a scheduled harvest is expected to have brought them. */
export const HARVEST_GRACE_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/**
 * Hours behind UTC in US Eastern time on a date: 4 in daylight saving time (second Sunday of March to the
 * first Sunday of November, US rule since 2007), else 5. Taken at the evening of the day, after any 2 am switch.
 * @example easternOffsetHours(2025, 3, 9) // 4 (DST began that morning)
 */
export function easternOffsetHours(year: number, month: number, day: number): number {
  const nthSunday = (m: number, n: number) => {
    const firstDay = new Date(Date.UTC(year, m - 1, 1)).getUTCDay();
    return 1 + ((7 - firstDay) % 7) + (n - 1) * 7;
  };
  const start = nthSunday(3, 2);
  const end = nthSunday(11, 1);
  const md = month * 100 + day;
  return md >= 300 + start && md < 1100 + end ? 4 : 5;
}

/**
 * The announcements whose papers should have been harvested by `now` but came after `since`: each Sunday to
 * Thursday at 22:30 ET, counted once `graceMs` has passed.
 * @example announcementsBetween(Date.parse('2025-03-14T12:00Z'), Date.parse('2025-03-18T12:00Z')) // 2 (Sun, Mon)
 */
export function announcementsBetween(since: number, now: number, graceMs = HARVEST_GRACE_MS): number {
  let count = 0;
  for (let day = Math.floor(since / DAY_MS) * DAY_MS - DAY_MS; day <= now; day += DAY_MS) {
    const date = new Date(day);
    const weekday = date.getUTCDay();
    if (weekday > 4) continue; // Friday, Saturday: no announcement
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    const at = Date.UTC(y, m - 1, d, UPDATE_HOUR_ET + easternOffsetHours(y, m, d), UPDATE_MINUTE_ET);
    if (at > since && at + graceMs <= now) count++;
  }
  return count;
}

/** The admin page warns when two announcements have brought nothing new. */
export const MISSED_ANNOUNCEMENTS_WARNING = 2;
