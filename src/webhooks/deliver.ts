import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import type { Site } from '../web/site.ts';
import {
  claimNextDelivery,
  type DeliveryRow,
  markDelivered,
  markDeliveryFailed,
  markDeliveryRetry,
  nextDeliveryLeaseEnd,
  webhooksWithDueRows,
} from './deliveries.store.ts';
import { eventBody } from './payloads.ts';
import { type PostOutcome, postSigned, webhookUserAgent } from './post.ts';
import { findWebhook, recordWebhookDelivered, recordWebhookError, type Webhook } from './webhooks.store.ts';

export interface WebhookDeps {
  store: Store;
  config: Config;
  log: Logger;
  site: Site;
}

export interface DeliverySummary {
  delivered: number;
  retrying: number;
  failed: number;
}

/** webhooks posted to at once; each one's rows go one after another, in the order their events came */
const LANES = 4;
/** a claimed row's lease beyond the request's timeout: time to write the outcome */
const LEASE_MARGIN_MS = 5_000;
/** the longest wait between two attempts, whatever the backoff or a Retry-After asks */
const MAX_DELAY_MS = 3_600_000;

/**
 * The wait after the n-th failed attempt: WEBHOOK_RETRY_SECONDS doubled each time (30 s, 1 min, 2 min …), at most an
 * hour, and never less than the receiver's Retry-After (capped at an hour too). Pure.
 */
export function retryDelayMs(attempt: number, baseSeconds: number, retryAfterMs: number | null): number {
  const backoff = Math.min(MAX_DELAY_MS, baseSeconds * 1000 * 2 ** Math.min(attempt - 1, 20));
  return Math.max(backoff, Math.min(MAX_DELAY_MS, retryAfterMs ?? 0));
}

/**
 * Posts every due outbox row (docs/webhooks.md). Each row is claimed with a lease, posted, and marked delivered by
 * the one write that follows the receiver's 2xx — so a post is at least once: a process killed between the 2xx
 * and that write leaves the row `sending`, and after its lease it is posted again with the same
 * X-Paperboy-Event-Id, which the receiver can drop. Failures are retried with backoff, up to WEBHOOK_MAX_ATTEMPTS;
 * a 4xx other than 408, 425 and 429 fails the row at once. With `waitForLeases` (the CLI), rows another process
 * holds, or held when it died, are waited for and taken over; the scheduled job leaves them to the next minute.
 */
export async function deliverDue(
  deps: WebhookDeps,
  options: { now?: () => Date; waitForLeases?: boolean } = {},
): Promise<DeliverySummary> {
  const now = options.now ?? (() => new Date());
  const { db } = deps.store;
  const summary: DeliverySummary = { delivered: 0, retrying: 0, failed: 0 };
  const leaseMs = deps.config.WEBHOOK_TIMEOUT_SECONDS * 1000 + LEASE_MARGIN_MS;
  for (;;) {
    const due = await webhooksWithDueRows(db, now());
    if (due.length === 0) {
      const leaseEnd = await nextDeliveryLeaseEnd(db);
      if (!leaseEnd || !options.waitForLeases) break;
      const wait = leaseEnd.getTime() - now().getTime() + 50;
      if (wait > leaseMs + 1000) break;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      continue;
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(LANES, due.length) }, async () => {
        while (next < due.length) {
          const webhookId = due[next++]!;
          // each row once per round: a row that failed now waits for its retry time, not for this loop
          let after = 0;
          for (;;) {
            const at = now();
            const row = await claimNextDelivery(db, webhookId, after, at, new Date(at.getTime() + leaseMs));
            if (!row) break;
            after = row.id;
            summary[await deliverRow(deps, row, now)]++;
          }
        }
      }),
    );
  }
  return summary;
}

async function deliverRow(
  deps: WebhookDeps,
  row: DeliveryRow,
  now: () => Date,
): Promise<keyof DeliverySummary> {
  const { db } = deps.store;
  const webhook = await findWebhook(db, row.webhookId);
  if (!webhook || webhook.disabled_at) {
    await markDeliveryFailed(db, row.id, null, 'the webhook is disabled');
    return 'failed';
  }
  const type = row.eventKey.slice(0, row.eventKey.indexOf(':'));
  const outcome = await postSigned(webhook, { key: row.eventKey, type }, row.body, {
    timeoutMs: deps.config.WEBHOOK_TIMEOUT_SECONDS * 1000,
    now: now(),
    userAgent: webhookUserAgent(deps.site.baseUrl),
  });
  if (outcome.kind === 'delivered') {
    await markDelivered(db, row.id, outcome.status, now());
    await recordWebhookDelivered(db, webhook.id, now());
    return 'delivered';
  }
  // the webhook's id, never its URL: the URL is the secret that lets anyone post
  const context = { webhook: webhook.id, event: row.eventKey, attempt: row.attempts, status: outcome.status };
  await recordWebhookError(db, webhook.id, outcome.error, now());
  if (outcome.kind === 'refused' || row.attempts >= deps.config.WEBHOOK_MAX_ATTEMPTS) {
    const error =
      outcome.kind === 'refused' ? outcome.error : `gave up after ${row.attempts} attempts: ${outcome.error}`;
    await markDeliveryFailed(db, row.id, outcome.status, error);
    deps.log.warn({ ...context, err: error }, 'webhook post failed for good');
    return 'failed';
  }
  const delay = retryDelayMs(row.attempts, deps.config.WEBHOOK_RETRY_SECONDS, outcome.retryAfterMs);
  await markDeliveryRetry(db, row.id, outcome.status, outcome.error, new Date(now().getTime() + delay));
  deps.log.warn(
    { ...context, err: outcome.error, retryInSeconds: delay / 1000 },
    'webhook post will be retried',
  );
  return 'retrying';
}

/**
 * The admin page's "Send a test": one post of a `test:<time>` event, now, outside the outbox (nothing to deliver
 * exactly once); a failure is remembered on the webhook like any other.
 */
export async function sendTestPost(
  deps: WebhookDeps,
  webhook: Webhook,
  at = new Date(),
): Promise<PostOutcome> {
  const key = `test:${at.toISOString()}`;
  const body = eventBody(webhook.kind, {
    type: 'test',
    key,
    at: at.toISOString(),
    site: { name: deps.site.name, url: deps.site.baseUrl },
  });
  const outcome = await postSigned(webhook, { key, type: 'test' }, body, {
    timeoutMs: deps.config.WEBHOOK_TIMEOUT_SECONDS * 1000,
    now: at,
    userAgent: webhookUserAgent(deps.site.baseUrl),
  });
  if (outcome.kind === 'delivered') await recordWebhookDelivered(deps.store.db, webhook.id, new Date());
  else {
    await recordWebhookError(deps.store.db, webhook.id, `test: ${outcome.error}`, new Date());
    deps.log.warn({ webhook: webhook.id, status: outcome.status, err: outcome.error }, 'webhook test failed');
  }
  return outcome;
}
