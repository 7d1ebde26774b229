import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * The webhook outbox: one row per (webhook, event) under a unique index, so an event is queued for a webhook once
 * however many processes try. A row moves pending → sending → delivered (or failed after its attempts). A claimed
 * row holds a lease (its next_attempt_at); a row still `sending` after its lease belonged to a process that died
 * mid-post, and is claimed again and posted with the same event id (docs/webhooks.md).
 */
export interface DeliveryRow {
  id: number;
  webhookId: number;
  eventKey: string;
  body: string;
  attempts: number;
}

/** Queues an event's body for a webhook; false when that event was queued for it before. */
export async function enqueueDelivery(
  db: Kysely<Database>,
  d: { webhookId: number; eventKey: string; body: string; now: Date },
): Promise<boolean> {
  const result = await db
    .insertInto('webhook_deliveries')
    .values({
      webhook_id: d.webhookId,
      event_key: d.eventKey,
      body: d.body,
      next_attempt_at: d.now.toISOString(),
      created_at: d.now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['webhook_id', 'event_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Which of these webhooks already have the event queued. */
export async function webhooksWithEvent(
  db: Kysely<Database>,
  webhookIds: number[],
  eventKey: string,
): Promise<Set<number>> {
  if (webhookIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select('webhook_id')
    .where('event_key', '=', eventKey)
    .where('webhook_id', 'in', webhookIds)
    .execute();
  return new Set(rows.map((r) => r.webhook_id));
}

/**
 * Features a webhook has not been sent yet: on the daily list of `sinceDay` or later, stored after the webhook
 * was added (so a new webhook does not replay the past), not hidden; oldest first. A team's webhook (team_id)
 * gets only the features one of the team's members submitted or upvoted: a feature a member upvotes later, while
 * it is still on today's or yesterday's list, is posted then.
 */
export async function featuresNotQueued(
  db: Kysely<Database>,
  webhook: { id: number; created_at: string; team_id?: number | null },
  sinceDay: string,
  limit: number,
): Promise<NewFeature[]> {
  const teamId = webhook.team_id ?? null;
  const members = (id: number) =>
    db.selectFrom('team_members').select('team_members.user_id').where('team_members.team_id', '=', id);
  const rows = await db
    .selectFrom('features')
    .innerJoin('papers', 'papers.id', 'features.paper_id')
    .select([
      'features.paper_id as id',
      'features.day',
      'features.submitter',
      'features.created_at',
      'papers.title',
      'papers.authors',
      'papers.upvotes',
    ])
    .where('features.day', '>=', sinceDay)
    .where('features.created_at', '>=', webhook.created_at)
    .where('papers.hidden_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries')
            .select('webhook_deliveries.id')
            .where('webhook_deliveries.webhook_id', '=', webhook.id)
            .where(
              'webhook_deliveries.event_key',
              '=',
              sql<string>`'feature:' || ${sql.ref('features.paper_id')}`,
            ),
        ),
      ),
    )
    .$if(teamId !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('features.submitter_id', 'in', members(teamId!)),
          eb.exists(
            eb
              .selectFrom('votes')
              .select('votes.paper_id')
              .whereRef('votes.paper_id', '=', 'features.paper_id')
              .where('votes.user_id', 'in', members(teamId!)),
          ),
        ]),
      ),
    )
    .orderBy('features.created_at')
    .orderBy('features.paper_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, authors: jsonList(r.authors) }));
}

export interface NewFeature {
  id: string;
  day: string;
  submitter: string | null;
  created_at: string;
  title: string;
  authors: string[];
  upvotes: number;
}

function jsonList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

const claimable = (at: string) => (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) =>
  eb.or([
    eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
    eb.and([eb('status', '=', 'sending'), eb('next_attempt_at', '<', at)]),
  ]);

/** The webhooks that have a row to post now. */
export async function webhooksWithDueRows(db: Kysely<Database>, now: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select('webhook_id')
    .distinct()
    .where(claimable(now.toISOString()))
    .orderBy('webhook_id')
    .execute();
  return rows.map((r) => r.webhook_id);
}

/**
 * Takes the webhook's oldest due row after `afterId` — pending and due, or `sending` with an expired lease —
 * marking it `sending` with a lease until `leaseUntil` and counting the attempt. The UPDATE re-checks the row's
 * state, so of two processes only one gets it.
 */
export async function claimNextDelivery(
  db: Kysely<Database>,
  webhookId: number,
  afterId: number,
  now: Date,
  leaseUntil: Date,
): Promise<DeliveryRow | null> {
  const at = now.toISOString();
  for (;;) {
    const candidate = await db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('webhook_id', '=', webhookId)
      .where('id', '>', afterId)
      .where(claimable(at))
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!candidate) return null;
    const claimed = await db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        status: 'sending',
        attempts: eb('attempts', '+', 1),
        next_attempt_at: leaseUntil.toISOString(),
      }))
      .where('id', '=', candidate.id)
      .where(claimable(at))
      .returning(['id', 'webhook_id', 'event_key', 'body', 'attempts'])
      .executeTakeFirst();
    // another process took it between the two statements: look for the next one
    if (!claimed) {
      afterId = candidate.id;
      continue;
    }
    return {
      id: claimed.id,
      webhookId: claimed.webhook_id,
      eventKey: claimed.event_key,
      body: claimed.body,
      attempts: claimed.attempts,
    };
  }
}

/** When the earliest lease on a `sending` row ends (another process's, or a dead one's), or null. */
export async function nextDeliveryLeaseEnd(db: Kysely<Database>): Promise<Date | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return row?.at ? new Date(String(row.at)) : null;
}

/** The receiver confirmed the post (2xx): the one write that makes it delivered. */
export async function markDelivered(
  db: Kysely<Database>,
  id: number,
  status: number,
  at: Date,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'delivered', last_status: status, error: null, delivered_at: at.toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function markDeliveryRetry(
  db: Kysely<Database>,
  id: number,
  status: number | null,
  error: string,
  next: Date,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'pending',
      last_status: status,
      error: error.slice(0, 500),
      next_attempt_at: next.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function markDeliveryFailed(
  db: Kysely<Database>,
  id: number,
  status: number | null,
  error: string,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', last_status: status, error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}

export interface DeliveryProblem {
  webhookId: number;
  webhookName: string;
  eventKey: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  error: string | null;
  nextAttemptAt: string;
  createdAt: string;
}

/** Deliveries that failed, or wait for a retry after an error, newest first: the admin page's "recent failures". */
export async function recentDeliveryProblems(
  db: Kysely<Database>,
  limit: number,
): Promise<DeliveryProblem[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select([
      'webhook_deliveries.webhook_id',
      'webhooks.name',
      'webhook_deliveries.event_key',
      'webhook_deliveries.status',
      'webhook_deliveries.attempts',
      'webhook_deliveries.last_status',
      'webhook_deliveries.error',
      'webhook_deliveries.next_attempt_at',
      'webhook_deliveries.created_at',
    ])
    .where((eb) =>
      eb.or([
        eb('webhook_deliveries.status', '=', 'failed'),
        eb.and([
          eb('webhook_deliveries.status', '=', 'pending'),
          eb('webhook_deliveries.error', 'is not', null),
        ]),
      ]),
    )
    .orderBy('webhook_deliveries.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    webhookId: r.webhook_id,
    webhookName: r.name,
    eventKey: r.event_key,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.last_status,
    error: r.error,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
  }));
}

/** How many outbox rows each webhook has in each state. */
export async function deliveryCounts(db: Kysely<Database>): Promise<Map<number, Record<string, number>>> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['webhook_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['webhook_id', 'status'])
    .execute();
  const out = new Map<number, Record<string, number>>();
  for (const r of rows) out.set(r.webhook_id, { ...out.get(r.webhook_id), [r.status]: Number(r.n) });
  return out;
}
