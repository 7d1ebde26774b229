import type { Store } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { isPermanentFailure, type Mailer } from '../mail/mailer.ts';
import type { Site } from '../web/site.ts';
import { composeNotificationMail } from './email.tsx';
import { unsubscribeToken } from './links.ts';
import { claimDueMail, enqueueMail, finishMail, type MailRow, mailRecipient } from './mail.store.ts';
import { unreadBetween } from './notifications.store.ts';

export interface NotificationMailDeps {
  store: Store;
  mailer: Mailer;
  secret: Buffer;
  site: Site;
  log: Logger;
}

/** Waits after a temporary failure: 5 min, 30 min, 2 h, then the row fails. */
const RETRY_DELAYS_MS = [300_000, 1_800_000, 7_200_000];
const CLAIM_BATCH = 50;
const LEASE_MS = 120_000;
/** notifications listed in one mail; the rest are counted, with a link */
const MAIL_ITEMS = 30;

export interface MailSummary {
  queued: number;
  sent: number;
  skipped: number;
  retrying: number;
  failed: number;
}

/** The unsubscribe link of a member's notification mail (RFC 8058 one-click POSTs to the same URL). */
export function unsubscribeUrl(deps: Pick<NotificationMailDeps, 'secret' | 'site'>, userId: number): string {
  return `${deps.site.baseUrl}/notifications/unsubscribe/${unsubscribeToken(deps.secret, userId)}`;
}

/** A stable Message-ID per member and day (RFC 5322 §3.6.4): a resend after a crash is the same message. */
function messageIdOf(site: Site, userId: number, day: string): string {
  return `<notifications.${day}.${userId}@${new URL(site.baseUrl).hostname}>`;
}

/**
 * The day's batched notification mail: with `enqueue`, makes the day's rows (one per member with mail on and
 * something unread not mailed yet); then sends every due row. Idempotent: run again, nothing is sent twice.
 */
export async function sendNotificationMail(
  deps: NotificationMailDeps,
  options: { now?: () => Date; enqueue: boolean },
): Promise<MailSummary> {
  const now = options.now ?? (() => new Date());
  const { db } = deps.store;
  const queued = options.enqueue ? await enqueueMail(db, now().toISOString().slice(0, 10), now()) : 0;
  const counts = { sent: 0, skipped: 0, retrying: 0, failed: 0 };
  for (;;) {
    const at = now();
    const rows = await claimDueMail(db, at, new Date(at.getTime() + LEASE_MS), CLAIM_BATCH);
    if (rows.length === 0) break;
    for (const row of rows) counts[await deliver(deps, row, now)]++;
  }
  return { queued, ...counts };
}

async function deliver(
  deps: NotificationMailDeps,
  row: MailRow,
  now: () => Date,
): Promise<'sent' | 'skipped' | 'retrying' | 'failed'> {
  const { db } = deps.store;
  const member = await mailRecipient(db, row.userId);
  if (member?.setting !== 'daily') {
    await finishMail(db, row, { status: 'skipped', error: 'mail switched off' });
    return 'skipped';
  }
  const items = await unreadBetween(db, row.userId, row.afterId, row.throughId, MAIL_ITEMS + 1000);
  if (items.length === 0) {
    await finishMail(db, row, { status: 'skipped', error: 'everything was read on the site' });
    return 'skipped';
  }
  const base = deps.site.baseUrl;
  const unsubscribe = unsubscribeUrl(deps, row.userId);
  const mail = composeNotificationMail(
    deps.site.name,
    items.slice(0, MAIL_ITEMS),
    Math.max(items.length - MAIL_ITEMS, 0),
    {
      paper: (id, commentId) => `${base}/papers/${id}${commentId ? `#comment-${commentId}` : ''}`,
      notifications: `${base}/notifications`,
      unsubscribe,
    },
  );
  const messageId = messageIdOf(deps.site, row.userId, row.day);
  try {
    await deps.mailer.send({
      to: member.email,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId,
      headers: {
        // RFC 2369 and RFC 8058: one-click unsubscribe from the mail client, as the digests do
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Id': `${deps.site.name} notifications <notifications.${new URL(base).hostname}>`,
      },
    });
    await finishMail(db, row, { status: 'sent', messageId });
    return 'sent';
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    deps.log.warn(
      { user: row.userId, attempt: row.attempts, err: message },
      'notification mail not delivered',
    );
    if (isPermanentFailure(err) || row.attempts > RETRY_DELAYS_MS.length) {
      await finishMail(db, row, { status: 'failed', error: message });
      return 'failed';
    }
    const next = new Date(now().getTime() + RETRY_DELAYS_MS[row.attempts - 1]!);
    await finishMail(db, row, { status: 'pending', error: message, next });
    return 'retrying';
  }
}
