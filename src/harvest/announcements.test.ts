import { describe, expect, it } from 'vitest';
import { announcementsBetween, easternOffsetHours } from './announcements.ts';

const at = (iso: string) => Date.parse(iso);

describe('arXiv announcement days', () => {
  it('knows US Eastern daylight saving time', () => {
    expect(easternOffsetHours(2025, 3, 8)).toBe(5);
    expect(easternOffsetHours(2025, 3, 9)).toBe(4); // second Sunday of March
    expect(easternOffsetHours(2025, 11, 1)).toBe(4);
    expect(easternOffsetHours(2025, 11, 2)).toBe(5); // first Sunday of November
    expect(easternOffsetHours(2026, 3, 8)).toBe(4);
    expect(easternOffsetHours(2026, 1, 15)).toBe(5);
  });

  it('counts Sunday-to-Thursday 22:30 ET updates once the grace has passed', () => {
    // Fri 2025-03-14 noon UTC to Tue 2025-03-18 noon UTC: Sun 16th and Mon 17th (22:30 EDT = 02:30 UTC next day)
    expect(announcementsBetween(at('2025-03-14T12:00:00Z'), at('2025-03-18T12:00:00Z'))).toBe(2);
    // Friday and Saturday bring nothing
    expect(announcementsBetween(at('2025-03-14T12:00:00Z'), at('2025-03-16T12:00:00Z'))).toBe(0);
    // the Sunday update (02:30 UTC Monday) counts only once the 8-hour grace is over (10:30 UTC)
    expect(announcementsBetween(at('2025-03-16T12:00:00Z'), at('2025-03-17T10:29:00Z'))).toBe(0);
    expect(announcementsBetween(at('2025-03-16T12:00:00Z'), at('2025-03-17T10:30:00Z'))).toBe(1);
    // in winter 22:30 EST is 03:30 UTC
    expect(announcementsBetween(at('2025-01-13T03:29:00Z'), at('2025-01-13T11:30:00Z'))).toBe(1);
    expect(announcementsBetween(at('2025-01-13T03:31:00Z'), at('2025-01-13T11:30:00Z'))).toBe(0);
    // a whole week: five announcements
    expect(announcementsBetween(at('2025-03-07T00:00:00Z'), at('2025-03-14T00:00:00Z'))).toBe(5);
  });
});
