import type { Job } from '../jobs/registry.ts';
import { every } from '../jobs/schedule.ts';
import { type DeliverySummary, deliverDue, type WebhookDeps } from './deliver.ts';
import { enqueueDueEvents } from './events.ts';

/**
 * One run of team chat: queue the events due now, then post what is due (new rows, retries, rows a dead process
 * held). A job function: the scheduler calls it every minute; `paperboy webhooks deliver` does the same by hand.
 */
export async function runWebhooks(
  deps: WebhookDeps,
  options: { now?: () => Date; waitForLeases?: boolean } = {},
): Promise<DeliverySummary & { queued: number }> {
  const now = options.now ?? (() => new Date());
  const queued = await enqueueDueEvents(deps, now());
  const summary = await deliverDue(deps, options);
  if (queued + summary.delivered + summary.retrying + summary.failed > 0)
    deps.log.info({ queued, ...summary }, 'webhooks posted');
  return { queued, ...summary };
}

/** The team chat job for the scheduler (src/jobs): every minute. */
export function createWebhooksJob(deps: WebhookDeps): Job {
  return {
    name: 'webhooks',
    schedule: every(1),
    run: async () => {
      await runWebhooks(deps);
    },
  };
}
