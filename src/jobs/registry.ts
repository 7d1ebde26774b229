/**
 * The jobs of the instance (harvest today; digests and re-ranking later). A job is a plain function the CLI can
 * call too; the scheduler only decides when.
 */
export interface Job {
  name: string;
  /** the next time (ms) the job is due strictly after `after`, or null for never */
  nextRun(after: number): number | null;
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
