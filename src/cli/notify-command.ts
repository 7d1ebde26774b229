import { createAppDeps } from '../app/deps.ts';
import type { Config } from '../config.ts';
import { boundMemoryForBulkWork, type Store } from '../db/connect.ts';
import { runNotifyAndMail } from '../follows/notify-job.ts';
import type { Logger } from '../log.ts';

/**
 * `paperboy notify [--no-mail]`: the notify job now, by hand — the notifications for the papers and comments that
 * arrived since the last run, then the notification mail that is due. Safe beside a running server: batches
 * are unique per member and item, and each mail row is claimed by one process.
 */
export async function runNotifyCommand(
  store: Store,
  config: Config,
  log: Logger,
  options: { mail?: boolean },
): Promise<void> {
  boundMemoryForBulkWork(store);
  const deps = await createAppDeps(store, config, log);
  try {
    const summary = await runNotifyAndMail(deps, { mail: options.mail !== false });
    process.stdout.write(
      `Notifications: ${summary.notifications} new from ${summary.papers} papers and ${summary.comments} comments in ${summary.seconds.toFixed(1)} s.\n`,
    );
    if (summary.mail)
      process.stdout.write(
        `Mail: ${summary.mail.queued} queued, ${summary.mail.sent} sent, ${summary.mail.skipped} skipped, ${summary.mail.retrying} retrying, ${summary.mail.failed} failed.\n`,
      );
  } finally {
    deps.mailer.close();
  }
}
