import { periodContaining } from '../features/periods.ts';
import { type DigestPeriod, digestPeriod, parseDigestPeriod } from './digest-period.ts';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export interface DigestSchedule {
  /** local hour (0–23) after which the day's digests go out */
  hour: number;
  /** the day weekly digests go out */
  weeklyDay: string;
  /** IANA time zone of the hour and day */
  timeZone: string;
}

/** The date (YYYY-MM-DD), hour and weekday of an instant in a time zone. */
export function localTime(now: Date, timeZone: string): { date: string; hour: number; weekday: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      weekday: 'long',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    weekday: String(parts.weekday).toLowerCase(),
  };
}

/**
 * The digest periods due at `now`, not yet started (`lastStarted` holds the last period key started per
 * frequency). After the configured hour, the daily digest of the day before the local date is due; on the
 * configured weekday after that hour, the weekly digest of the previous ISO week. Pure.
 */
export function duePeriods(
  now: Date,
  schedule: DigestSchedule,
  lastStarted: { daily: string | null; weekly: string | null },
): DigestPeriod[] {
  const local = localTime(now, schedule.timeZone);
  if (local.hour < schedule.hour) return [];
  const due: DigestPeriod[] = [];
  const dayBefore = new Date(Date.parse(`${local.date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const daily = digestPeriod('daily', periodContaining('day', dayBefore));
  if (isAfter(daily.key, lastStarted.daily)) due.push(daily);
  if (local.weekday === schedule.weeklyDay && WEEKDAYS.includes(schedule.weeklyDay)) {
    const weekBefore = new Date(Date.parse(`${local.date}T00:00:00Z`) - 7 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const weekly = digestPeriod('weekly', periodContaining('week', weekBefore));
    if (isAfter(weekly.key, lastStarted.weekly)) due.push(weekly);
  }
  return due;
}

function isAfter(key: string, last: string | null): boolean {
  if (!last) return true;
  const a = parseDigestPeriod(key);
  const b = parseDigestPeriod(last);
  return !a || !b || a.period.start > b.period.start;
}
