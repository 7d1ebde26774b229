import { describe, expect, it } from 'vitest';
import { duePeriods, localTime } from './schedule.ts';

const schedule = { hour: 7, weeklyDay: 'monday', timeZone: 'Europe/Paris' };
const keys = (now: string, last = { daily: null as string | null, weekly: null as string | null }) =>
  duePeriods(new Date(now), schedule, last).map((p) => p.key);

describe('digest schedule', () => {
  it('reads the local time in the configured zone', () => {
    expect(localTime(new Date('2026-11-30T06:30:00Z'), 'Europe/Paris')).toEqual({
      date: '2026-11-30',
      hour: 7,
      weekday: 'monday',
    });
    expect(localTime(new Date('2026-11-30T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      date: '2026-12-01',
      hour: 8,
      weekday: 'tuesday',
    });
  });

  it('makes yesterday’s daily digest due after the hour, once', () => {
    expect(keys('2026-11-27T05:59:00Z')).toEqual([]);
    expect(keys('2026-11-27T06:00:00Z')).toEqual(['daily:2026-11-26']);
    expect(keys('2026-11-27T18:00:00Z', { daily: 'daily:2026-11-26', weekly: null })).toEqual([]);
  });

  it('makes last week’s digest due on the weekly day', () => {
    expect(keys('2026-11-30T06:05:00Z')).toEqual(['daily:2026-11-29', 'weekly:2026-W48']);
    expect(keys('2026-11-30T06:05:00Z', { daily: 'daily:2026-11-29', weekly: 'weekly:2026-W48' })).toEqual(
      [],
    );
    expect(keys('2026-12-01T06:05:00Z', { daily: 'daily:2026-11-29', weekly: null })).toEqual([
      'daily:2026-11-30',
    ]);
  });
});
