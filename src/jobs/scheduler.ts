import type { Logger } from '../log.ts';
import type { Clock } from './clock.ts';
import type { Job } from './registry.ts';
import { nextRunAfter } from './schedule.ts';

/**
 * The in-process scheduler of a one-machine instance: each job runs at its times, never twice at once, and a
 * time missed while the process was down is made up shortly after start. Time comes from an injected clock, so
 * tests read when jobs ran instead of waiting.
 */
export interface SchedulerOptions {
  clock: Clock;
  log: Logger;
  /** how long after start a missed run is made up (default 1 minute: a quick restart loop stays quiet) */
  catchUpDelayMs?: number;
}

export interface Scheduler {
  /** stops waiting, asks running jobs to stop, and resolves when they have */
  stop(): Promise<void>;
}

/** Long waits are taken in slices so a clock change or a very distant time never overflows a timer. */
const MAX_SLEEP_MS = 60 * 60_000;

export function startScheduler(jobs: readonly Job[], options: SchedulerOptions): Scheduler {
  const { clock, log } = options;
  const controller = new AbortController();
  const { signal } = controller;

  async function sleepUntil(at: number): Promise<void> {
    while (clock.now() < at) await clock.sleep(Math.min(at - clock.now(), MAX_SLEEP_MS), signal);
  }

  async function loop(job: Job): Promise<void> {
    const now = clock.now();
    const last = job.lastRun ? await job.lastRun() : undefined;
    const missed =
      last === null ||
      (last !== undefined && (nextRunAfter(job.schedule, last) ?? Number.POSITIVE_INFINITY) <= now);
    let due = missed ? now + (options.catchUpDelayMs ?? 60_000) : nextRunAfter(job.schedule, now);
    if (missed) log.info({ job: job.name }, 'a scheduled run was missed; making it up shortly');
    while (due !== null && !signal.aborted) {
      log.debug({ job: job.name, at: new Date(due).toISOString() }, 'next run');
      await sleepUntil(due);
      const started = clock.now();
      try {
        await job.run(signal);
        log.debug({ job: job.name, ms: clock.now() - started }, 'job done');
      } catch (err) {
        if (signal.aborted) break;
        log.error({ err, job: job.name }, 'job failed');
      }
      due = nextRunAfter(job.schedule, clock.now());
    }
  }

  const loops = jobs.map((job) =>
    loop(job).catch((err) => {
      if (!signal.aborted) log.error({ err, job: job.name }, 'scheduler loop stopped');
    }),
  );
  return {
    async stop() {
      controller.abort(new Error('scheduler stopped'));
      await Promise.all(loops);
    },
  };
}
