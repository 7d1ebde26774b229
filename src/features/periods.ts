import { dayMonth, longDate, monthYear, shortDate } from '../web/dates.ts';

/**
 * Periods of the daily lists: a day (YYYY-MM-DD), an ISO week (YYYY-Www) or a month (YYYY-MM), all in UTC.
 * Pure. ISO 8601 weeks start on Monday; week 1 is the week with the year's first Thursday.
 */
export type PeriodKind = 'day' | 'week' | 'month';

export interface Period {
  kind: PeriodKind;
  /** the period as written in URLs: 2025-02-12, 2025-W07, 2025-02 */
  key: string;
  /** first day, YYYY-MM-DD */
  start: string;
  /** last day (inclusive), YYYY-MM-DD */
  end: string;
}

const DAY_MS = 86_400_000;
const MIN_YEAR = 1991;
const MAX_YEAR = 2200;

/** @example parseDayPeriod('2025-02-12')?.end // '2025-02-12' */
export function parseDayPeriod(text: string): Period | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!inRange(Number(m[1])) || isoDay(ms) !== text) return null;
  return { kind: 'day', key: text, start: text, end: text };
}

/** @example parseWeekPeriod('2025-W07')?.start // '2025-02-10' */
export function parseWeekPeriod(text: string): Period | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (!inRange(year) || week < 1 || week > weeksInYear(year)) return null;
  const start = mondayOfWeek1(year) + (week - 1) * 7 * DAY_MS;
  return { kind: 'week', key: text, start: isoDay(start), end: isoDay(start + 6 * DAY_MS) };
}

/** @example parseMonthPeriod('2024-02')?.end // '2024-02-29' */
export function parseMonthPeriod(text: string): Period | null {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (!inRange(year) || month < 1 || month > 12) return null;
  const start = Date.UTC(year, month - 1, 1);
  const end = Date.UTC(year, month, 0);
  return { kind: 'month', key: text, start: isoDay(start), end: isoDay(end) };
}

export function parsePeriod(kind: PeriodKind, text: string): Period | null {
  if (kind === 'day') return parseDayPeriod(text);
  if (kind === 'week') return parseWeekPeriod(text);
  return parseMonthPeriod(text);
}

/** The period of the given kind that contains a day. @example periodContaining('week', '2025-01-01').key // '2025-W01' */
export function periodContaining(kind: PeriodKind, day: string): Period {
  if (kind === 'day') return { kind, key: day, start: day, end: day };
  if (kind === 'month') return parseMonthPeriod(day.slice(0, 7))!;
  const ms = Date.parse(`${day}T00:00:00Z`);
  const thursday = ms + (3 - weekdayIndex(ms)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - mondayOfWeek1(year)) / (7 * DAY_MS)) + 1;
  return parseWeekPeriod(`${year}-W${String(week).padStart(2, '0')}`)!;
}

/** A readable name: "Wednesday, 12 February 2025", "Week 7 of 2025", "February 2025". */
export function periodLabel(period: Period): string {
  if (period.kind === 'day') return longDate(period.start);
  if (period.kind === 'month') return monthYear(period.start);
  const [year, week] = period.key.split('-W');
  return `Week ${Number(week)} of ${year}`;
}

/** "10 Feb – 16 Feb 2025" for weeks. */
export function periodRange(period: Period): string {
  return `${dayMonth(period.start)} – ${shortDate(period.end)}`;
}

/** Today in UTC as YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function mondayOfWeek1(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - weekdayIndex(jan4) * DAY_MS;
}

function weeksInYear(year: number): number {
  const jan1 = weekdayIndex(Date.UTC(year, 0, 1));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 3 || (leap && jan1 === 2) ? 53 : 52;
}

/** Monday = 0 … Sunday = 6 */
function weekdayIndex(ms: number): number {
  return (new Date(ms).getUTCDay() + 6) % 7;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function inRange(year: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR;
}
