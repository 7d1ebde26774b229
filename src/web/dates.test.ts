import { describe, expect, it } from 'vitest';
import { dayMonth, longDate, monthYear, shortDate } from './dates.ts';

describe('dates', () => {
  it.each([
    ['2025-02-12', '12 Feb 2025', 'Wednesday, 12 February 2025', 'February 2025', '12 Feb'],
    ['2024-12-31T23:59:59.000Z', '31 Dec 2024', 'Tuesday, 31 December 2024', 'December 2024', '31 Dec'],
    ['2025-09-03', '3 Sep 2025', 'Wednesday, 3 September 2025', 'September 2025', '3 Sep'],
    ['2026-08-21T00:00:00.000Z', '21 Aug 2026', 'Friday, 21 August 2026', 'August 2026', '21 Aug'],
  ])('%s', (iso, short, long, month, dm) => {
    expect([shortDate(iso), longDate(iso), monthYear(iso), dayMonth(iso)]).toEqual([short, long, month, dm]);
  });

  it('gives nothing for what is not a date', () => {
    expect(shortDate(null)).toBe('');
    expect(shortDate('nonsense')).toBe('');
    expect(longDate('2025-13-45')).toBe('');
  });
});
