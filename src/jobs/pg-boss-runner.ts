import PgBoss from 'pg-boss';
import type { Logger } from '../log.ts';
import type { Job } from './registry.ts';

/** A job pg-boss runs: its cron schedule (UTC) and what it does. */
export interface CronJob {
  job: Job;
  cron: string;
}

export interface PgBossRunner {
  stop(): Promise<void>;
}

/**
 * On PostgreSQL the jobs run through pg-boss (docs/decisions.md D27): every worker process starts it and works
 * the queues; pg-boss keeps one schedule per queue in the database, so a cron tick makes one job, and each
 * queue's `singleton` policy lets only one such job be active at a time across all workers.
 */
export async function startPgBossJobs(
  connectionString: string,
  jobs: CronJob[],
  log: Logger,
): Promise<PgBossRunner> {
  const boss = new PgBoss({ connectionString, schedule: true, supervise: true });
  boss.on('error', (err) => log.error({ err }, 'pg-boss'));
  await boss.start();
  const controller = new AbortController();
  for (const { job, cron } of jobs) {
    await boss.createQueue(job.name, { name: job.name, policy: 'singleton', retryLimit: 0 });
    await boss.schedule(job.name, cron, {}, { tz: 'UTC' });
    await boss.work(job.name, async () => {
      await job.run(controller.signal);
    });
  }
  log.info({ jobs: jobs.map((j) => `${j.job.name} (${j.cron})`) }, 'jobs run through pg-boss');
  return {
    async stop() {
      controller.abort(new Error('stopping'));
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}

/** "04:30" and "16:00" (UTC times of day) as one cron expression per time. */
export function cronForDailyTimes(times: readonly string[]): string[] {
  return times.map((t) => {
    const [h, m] = t.split(':').map(Number);
    return `${m} ${h} * * *`;
  });
}
