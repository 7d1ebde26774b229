import { describe, expect, it } from 'vitest';
import {
  parseDayPeriod,
  parseMonthPeriod,
  parseWeekPeriod,
  periodContaining,
  periodLabel,
  periodRange,
} from './periods.ts';

describe('periods', () => {
  it('reads days and refuses impossible ones', () => {
    expect(parseDayPeriod('2024-02-29')).toEqual({
      kind: 'day',
      key: '2024-02-29',
      start: '2024-02-29',
      end: '2024-02-29',
    });
    for (const bad of [
      '2025-02-29',
      '2025-13-01',
      '2025-13-40',
      '2025-1-1',
      '20250101',
      '',
      '1900-01-01',
      'x',
    ]) {
      expect(parseDayPeriod(bad)).toBeNull();
    }
  });

  it('reads ISO weeks, including week 53 and weeks that start in the previous year', () => {
    expect(parseWeekPeriod('2025-W01')).toMatchObject({ start: '2024-12-30', end: '2025-01-05' });
    expect(parseWeekPeriod('2025-W07')).toMatchObject({ start: '2025-02-10', end: '2025-02-16' });
    expect(parseWeekPeriod('2020-W53')).toMatchObject({ start: '2020-12-28', end: '2021-01-03' });
    expect(parseWeekPeriod('2026-W53')).toMatchObject({ start: '2026-12-28', end: '2027-01-03' });
    expect(parseWeekPeriod('2025-W53')).toBeNull();
    expect(parseWeekPeriod('2025-W00')).toBeNull();
    expect(parseWeekPeriod('2025-W7')).toBeNull();
  });

  it('reads months with their real lengths', () => {
    expect(parseMonthPeriod('2024-02')).toMatchObject({ start: '2024-02-01', end: '2024-02-29' });
    expect(parseMonthPeriod('2025-02')).toMatchObject({ end: '2025-02-28' });
    expect(parseMonthPeriod('2025-12')).toMatchObject({ end: '2025-12-31' });
    expect(parseMonthPeriod('2025-13')).toBeNull();
    expect(parseMonthPeriod('2025-00')).toBeNull();
  });

  it('finds the week and month of a day', () => {
    expect(periodContaining('week', '2025-01-01').key).toBe('2025-W01');
    expect(periodContaining('week', '2024-12-29').key).toBe('2024-W52');
    expect(periodContaining('week', '2021-01-03').key).toBe('2020-W53');
    expect(periodContaining('week', '2026-08-21').key).toBe('2026-W34');
    expect(periodContaining('month', '2026-08-21').key).toBe('2026-08');
    expect(periodContaining('day', '2026-08-21').key).toBe('2026-08-21');
  });

  it('names periods for people', () => {
    expect(periodLabel(parseDayPeriod('2025-02-12')!)).toBe('Wednesday, 12 February 2025');
    expect(periodLabel(parseWeekPeriod('2025-W07')!)).toBe('Week 7 of 2025');
    expect(periodLabel(parseMonthPeriod('2025-02')!)).toBe('February 2025');
    expect(periodRange(parseWeekPeriod('2025-W07')!)).toBe('10 Feb – 16 Feb 2025');
  });
});
