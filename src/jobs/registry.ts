import type { Schedule } from './schedule.ts';

/**
 * A scheduled job of the instance (the list: src/app/jobs.ts). A job is a plain function the CLI can call too;
 * its schedule, declared once here, is read by the in-process scheduler and by pg-boss alike.
 */
export interface Job {
  name: string;
  /** when it runs (jobs/schedule.ts: every(10), dailyAt(['04:30'])) */
  schedule: Schedule;
  /** when the job last completed (ms), or null if never: a scheduled time missed since then is made up */
  lastRun?(): number | null | Promise<number | null>;
  /** does the work; stops early when `signal` is aborted. Must be idempotent. */
  run(signal: AbortSignal): Promise<void>;
}

export interface JobRegistry {
  register(job: Job): void;
  get(name: string): Job | undefined;
  list(): Job[];
}

export function createJobRegistry(): JobRegistry {
  const jobs = new Map<string, Job>();
  return {
    register(job) {
      if (jobs.has(job.name)) throw new Error(`job ${job.name} is already registered`);
      jobs.set(job.name, job);
    },
    get: (name) => jobs.get(name),
    list: () => [...jobs.values()],
  };
}
