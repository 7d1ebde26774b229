import PgBoss from 'pg-boss';
import type { Logger } from '../log.ts';
import type { Job } from './registry.ts';
import { cronExpressions } from './schedule.ts';

export interface PgBossRunner {
  stop(): Promise<void>;
}

/**
 * Two workers starting at once both create and schedule the same queues: PostgreSQL may pick one of the two
 * transactions as a deadlock's victim (40P01), and that worker exited at start-up (seen in CI). The victim's
 * work is rolled back whole, so trying again after a short random wait is safe.
 */
export async function retryOnDeadlock<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * attempt));
    }
  }
}

/**
 * On PostgreSQL the jobs run through pg-boss (docs/decisions.md D27): every worker process starts it and works
 * the queues; pg-boss keeps one schedule per queue in the database, so a cron tick makes one job, and each
 * queue's `singleton` policy lets only one such job be active at a time across all workers.
 */
export async function startPgBossJobs(
  connectionString: string,
  jobs: readonly Job[],
  log: Logger,
): Promise<PgBossRunner> {
  const boss = new PgBoss({ connectionString, schedule: true, supervise: true });
  boss.on('error', (err) => log.error({ err }, 'pg-boss'));
  await boss.start();
  const controller = new AbortController();
  const scheduled: string[] = [];
  for (const job of jobs) {
    // one schedule per queue in pg-boss: a second cron expression (daily times at other minutes) gets its own
    for (const [i, cron] of cronExpressions(job.schedule).entries()) {
      const queue = i === 0 ? job.name : `${job.name}-${i + 1}`;
      await retryOnDeadlock(() =>
        boss.createQueue(queue, { name: queue, policy: 'singleton', retryLimit: 0 }),
      );
      await retryOnDeadlock(() => boss.schedule(queue, cron, {}, { tz: 'UTC' }));
      await boss.work(queue, async () => {
        await job.run(controller.signal);
      });
      scheduled.push(`${queue} (${cron})`);
    }
  }
  log.info({ jobs: scheduled }, 'jobs run through pg-boss');
  return {
    async stop() {
      controller.abort(new Error('stopping'));
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
