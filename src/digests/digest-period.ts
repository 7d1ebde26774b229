import {
  type Period,
  parseDayPeriod,
  parseWeekPeriod,
  periodContaining,
  periodLabel,
} from '../features/periods.ts';

/**
 * A digest's period: `daily:YYYY-MM-DD` (one day's features) or `weekly:YYYY-Www` (an ISO week's). Pure.
 * @example parseDigestPeriod('weekly:2026-W47')?.period.start // '2026-11-16'
 */
export interface DigestPeriod {
  key: string;
  frequency: 'daily' | 'weekly';
  period: Period;
}

export function parseDigestPeriod(key: string): DigestPeriod | null {
  const m = /^(daily|weekly):(.+)$/.exec(key);
  if (!m) return null;
  const frequency = m[1] as 'daily' | 'weekly';
  const period = frequency === 'daily' ? parseDayPeriod(m[2]!) : parseWeekPeriod(m[2]!);
  return period ? { key, frequency, period } : null;
}

export function digestPeriod(frequency: 'daily' | 'weekly', period: Period): DigestPeriod {
  return { key: `${frequency}:${period.key}`, frequency, period };
}

/** The period a digest sent at `now` covers: yesterday (UTC) for daily, last ISO week for weekly. */
export function previousPeriod(frequency: 'daily' | 'weekly', now: Date): DigestPeriod {
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  if (frequency === 'daily') return digestPeriod('daily', periodContaining('day', yesterday));
  const lastWeekDay = new Date(now.getTime() - 7 * 86_400_000).toISOString().slice(0, 10);
  return digestPeriod('weekly', periodContaining('week', lastWeekDay));
}

/** "Top papers of Friday, 21 August 2026" / "Top papers of week 34 of 2026". */
export function digestTitle(p: DigestPeriod): string {
  return p.frequency === 'daily'
    ? `Top papers of ${periodLabel(p.period)}`
    : `Top papers of ${periodLabel(p.period).toLowerCase()}`;
}
