import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { siteFromConfig } from '../web/site.ts';
import { runWebhooks } from '../webhooks/webhooks-job.ts';

/**
 * `paperboy webhooks deliver`: the team chat job now, by hand — queue the due events, post what is due, and wait
 * for rows a process that died was posting (their lease) to take them over. Safe beside a running server: each
 * row is claimed by one process.
 */
export async function runWebhooksDeliverCommand(store: Store, config: Config, log: Logger): Promise<void> {
  const summary = await runWebhooks(
    { store, config, log, site: siteFromConfig(config) },
    { waitForLeases: true },
  );
  process.stdout.write(
    `Webhooks: ${summary.queued} queued, ${summary.delivered} delivered, ${summary.retrying} retrying, ${summary.failed} failed.\n`,
  );
}
