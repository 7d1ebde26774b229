import type { Clock } from '../../src/jobs/clock.ts';

export interface FakeClock extends Clock {
  /** every sleep asked for, in ms, in order */
  sleeps: number[];
  set(ms: number): void;
}

/**
 * A clock whose time moves only when someone sleeps: `sleep(ms)` advances it by `ms` at once. Waits are then
 * read from `sleeps` and `now()`, never measured.
 */
export function fakeClock(start = Date.parse('2025-03-19T04:30:00Z')): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    set(ms) {
      now = ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += Math.max(0, ms);
      await Promise.resolve();
    },
  };
}
