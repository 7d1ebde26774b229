import type { Config } from '../config.ts';
import type { Job } from '../jobs/registry.ts';
import { every } from '../jobs/schedule.ts';
import { type MailSummary, type NotificationMailDeps, sendNotificationMail } from './mail.ts';
import { type NotifySummary, runNotify } from './notify.ts';

export interface NotifyJobDeps extends NotificationMailDeps {
  config: Pick<Config, 'KEYWORDS_ENABLED' | 'NOTIFICATIONS_MAIL_AT'>;
}

/** Whether the day's mail is due at `now`: from NOTIFICATIONS_MAIL_AT (UTC) on; rows are per day, so once a day. */
export function mailDue(now: Date, mailAt: string): boolean {
  return now.toISOString().slice(11, 16) >= mailAt;
}

/**
 * One run: the notifications for whatever arrived (runNotify), then the notification mail due (the day's rows
 * from NOTIFICATIONS_MAIL_AT on, and retries). `paperboy notify` does the same by hand.
 */
export async function runNotifyAndMail(
  deps: NotifyJobDeps,
  options: { now?: () => Date; settleMs?: number; signal?: AbortSignal; mail?: boolean } = {},
): Promise<NotifySummary & { mail: MailSummary | null }> {
  const now = options.now ?? (() => new Date());
  const summary = await runNotify(deps.store, {
    now,
    settleMs: options.settleMs,
    signal: options.signal,
    keywords: deps.config.KEYWORDS_ENABLED,
  });
  const mail =
    options.mail === false
      ? null
      : await sendNotificationMail(deps, { now, enqueue: mailDue(now(), deps.config.NOTIFICATIONS_MAIL_AT) });
  if (summary.notifications > 0 || (mail && mail.sent + mail.failed > 0))
    deps.log.info({ ...summary, mail }, 'notifications made');
  return { ...summary, mail };
}

/** The notify job for the scheduler (src/jobs): every ten minutes. */
export function createNotifyJob(deps: NotifyJobDeps): Job {
  return {
    name: 'notify',
    schedule: every(10),
    run: async (signal) => {
      await runNotifyAndMail(deps, { signal });
    },
  };
}
