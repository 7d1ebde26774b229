import { nextDailyTime } from './daily-times.ts';

/**
 * When a job runs, declared once by the job: the in-process scheduler (one machine) reads it through
 * `nextRunAfter`, pg-boss (PostgreSQL, several machines) through `cronExpressions`, so the two never disagree.
 * Both are on the clock (UTC): `every(10)` runs at :00, :10, :20 …, not ten minutes after the last run.
 */
export type Schedule = { kind: 'every'; minutes: number } | { kind: 'daily'; times: readonly string[] };

/** Minutes that divide an hour evenly, so one cron field says the same as the in-process scheduler does. */
const WHOLE_HOUR_PARTS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

export function every(minutes: number): Schedule {
  if (!WHOLE_HOUR_PARTS.includes(minutes))
    throw new Error(`a job runs every ${WHOLE_HOUR_PARTS.join(', ')} minutes, not every ${minutes}`);
  return { kind: 'every', minutes };
}

/** At these times of day, UTC ("04:30"); none: never. */
export function dailyAt(times: readonly string[]): Schedule {
  for (const t of times) if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(t)) throw new Error(`not a time of day: ${t}`);
  return { kind: 'daily', times };
}

/** The next time (ms) the schedule is due strictly after `after`, or null for never. */
export function nextRunAfter(schedule: Schedule, after: number): number | null {
  if (schedule.kind === 'daily') return nextDailyTime(schedule.times, after);
  const step = schedule.minutes * 60_000;
  return Math.floor(after / step) * step + step;
}

/**
 * The same schedule as cron expressions (UTC). Daily times that share their minute share one expression
 * ("04:30, 16:30" → "30 4,16 * * *"); pg-boss keeps one schedule per queue, so each further expression gets a
 * queue of its own (jobs/pg-boss-runner.ts).
 */
export function cronExpressions(schedule: Schedule): string[] {
  if (schedule.kind === 'daily') {
    const hoursByMinute = new Map<number, number[]>();
    for (const t of schedule.times) {
      const [h, m] = t.split(':').map(Number) as [number, number];
      hoursByMinute.set(m, [...(hoursByMinute.get(m) ?? []), h]);
    }
    return [...hoursByMinute].map(
      ([m, hours]) => `${m} ${[...new Set(hours)].sort((a, b) => a - b).join(',')} * * *`,
    );
  }
  if (schedule.minutes === 60) return ['0 * * * *'];
  return [schedule.minutes === 1 ? '* * * * *' : `*/${schedule.minutes} * * * *`];
}

/** For logs and the docs: "every 10 min", "daily at 04:30, 16:00 UTC". */
export function describeSchedule(schedule: Schedule): string {
  return schedule.kind === 'every'
    ? `every ${schedule.minutes} min`
    : `daily at ${schedule.times.join(', ')} UTC`;
}
