import { byEngine } from '../db/engine.ts';
import { createDigestJob } from '../digests/scheduler.ts';
import { createNotifyJob } from '../follows/notify-job.ts';
import type { ArxivServices } from '../harvest/arxiv-services.ts';
import { createHarvestJob } from '../harvest/harvest-job.ts';
import { systemClock } from '../jobs/clock.ts';
import { startPgBossJobs } from '../jobs/pg-boss-runner.ts';
import { createJobRegistry, type Job } from '../jobs/registry.ts';
import { describeSchedule } from '../jobs/schedule.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { createKeywordsJob } from '../keywords/keywords-job.ts';
import { createForYouJob } from '../recommendations/for-you-job.ts';
import { createCompactionJob } from '../search/compaction-job.ts';
import { createEmbeddingJob } from '../search/embed-papers.ts';
import { createSummariesJob } from '../summaries/summaries-job.ts';
import { createWebhooksJob } from '../webhooks/webhooks-job.ts';
import type { AppDeps } from './deps.ts';

/**
 * The instance's scheduled jobs, in one list. A new job goes here: its domain exports `createXJob(…): Job`
 * with its schedule declared once (jobs/schedule.ts); this list says when the instance runs it at all.
 */
export function scheduledJobs(deps: AppDeps, arxiv: ArxivServices | null): Job[] {
  const { store, config, log } = deps;
  const registry = createJobRegistry();
  if (config.HARVEST_ENABLED && arxiv)
    registry.register(createHarvestJob(arxiv, config.HARVEST_SCHEDULE, log));
  if (config.DIGESTS_ENABLED) registry.register(createDigestJob(deps));
  if (config.WEBHOOKS_ENABLED) registry.register(createWebhooksJob(deps));
  if (config.NOTIFICATIONS_ENABLED) registry.register(createNotifyJob(deps));
  const summaries = createSummariesJob(store, config, log);
  if (summaries) registry.register(summaries);
  if (config.KEYWORDS_ENABLED) registry.register(createKeywordsJob(store, log));
  if (config.FOR_YOU_ENABLED) registry.register(createForYouJob(store, config, log));
  const embedder = deps.search.embedder;
  const engineJobs = byEngine<Job[]>(store, {
    // SQLite's full-text indexes gather segments with every write: merged when there are too many; and with an
    // embedding model, papers without vectors (new or edited) get them in the background
    sqlite: (s) => [
      createCompactionJob(s, log),
      ...(embedder ? [createEmbeddingJob(s, embedder, log, config.EMBEDDINGS_BATCH_SIZE)] : []),
    ],
    // PostgreSQL: papers without vectors get them in the background too (pg-boss runs it on one machine at a time)
    postgres: (s) => (embedder ? [createEmbeddingJob(s, embedder, log, config.EMBEDDINGS_BATCH_SIZE)] : []),
  });
  for (const job of engineJobs) registry.register(job);
  return registry.list();
}

/**
 * Starts the jobs: one machine (SQLite) runs them in-process; PostgreSQL (several machines) through pg-boss, so
 * each tick runs once across all workers. Both read each job's one schedule. Returns the stop function.
 */
export async function startJobs(deps: AppDeps, jobs: readonly Job[]): Promise<() => Promise<void>> {
  const { store, config, log } = deps;
  if (jobs.length === 0) return async () => {};
  log.info({ jobs: jobs.map((j) => `${j.name} (${describeSchedule(j.schedule)})`) }, 'scheduled jobs');
  return byEngine(store, {
    sqlite: async () => {
      const scheduler = startScheduler(jobs, { clock: systemClock, log });
      return () => scheduler.stop();
    },
    postgres: async () => (await startPgBossJobs(config.DATABASE_URL, jobs, log)).stop,
  });
}
