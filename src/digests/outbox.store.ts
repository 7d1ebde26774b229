import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DigestPeriod } from './digest-period.ts';

/**
 * The digest outbox: one row per (subscription, period), its primary key. A period's rows are made once for the
 * subscribers confirmed at that moment; each row then moves pending → sending → sent (or skipped, or failed after
 * its retries). A claimed row holds a lease (its next_attempt_at); a row still `sending` after its lease ran out
 * belonged to a sender that died, and is claimed again and sent with the same Message-ID (docs/decisions.md D25).
 */
export interface OutboxRow {
  subscriptionId: number;
  period: string;
  attempts: number;
}

/** Makes the period's rows for every confirmed subscriber of its frequency; returns how many are new. */
export async function enqueuePeriod(db: Kysely<Database>, period: DigestPeriod, now: Date): Promise<number> {
  const result = await db
    .insertInto('digest_outbox')
    .columns(['subscription_id', 'period', 'status', 'attempts', 'next_attempt_at', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('subscriptions')
        .select((s) => [
          'id',
          s.val(period.key).as('period'),
          s.val('pending').as('status'),
          s.val(0).as('attempts'),
          s.val(now.toISOString()).as('next_attempt_at'),
          s.val(now.toISOString()).as('created_at'),
        ])
        .where('status', '=', 'confirmed')
        .where('frequency', '=', period.frequency),
    )
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Takes up to `limit` due rows — pending and due, or `sending` with an expired lease — marking them `sending`
 * with a lease until `leaseUntil`. The UPDATE re-checks each row's state, so rows another sender took between
 * the SELECT and the UPDATE are not returned: two senders never take the same row.
 */
export async function claimDue(
  db: Kysely<Database>,
  periodKey: string,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<OutboxRow[]> {
  const at = now.toISOString();
  const claimable = (eb: ExpressionBuilder<Database, 'digest_outbox'>) =>
    eb.or([
      eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
      eb.and([eb('status', '=', 'sending'), eb('next_attempt_at', '<', at)]),
    ]);
  const candidates = await db
    .selectFrom('digest_outbox')
    .select('subscription_id')
    .where('period', '=', periodKey)
    .where(claimable)
    .orderBy('subscription_id')
    .limit(limit)
    .execute();
  if (candidates.length === 0) return [];
  const claimed = await db
    .updateTable('digest_outbox')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: leaseUntil.toISOString(),
    }))
    .where('period', '=', periodKey)
    .where(
      'subscription_id',
      'in',
      candidates.map((r) => r.subscription_id),
    )
    .where(claimable)
    .returning(['subscription_id', 'period', 'attempts'])
    .execute();
  return claimed
    .map((r) => ({ subscriptionId: r.subscription_id, period: r.period, attempts: r.attempts }))
    .sort((a, b) => a.subscriptionId - b.subscriptionId);
}

/** When the earliest lease on a `sending` row of the period ends (another sender's, or a dead one's), or null. */
export async function nextLeaseEnd(db: Kysely<Database>, periodKey: string): Promise<Date | null> {
  const row = await db
    .selectFrom('digest_outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('period', '=', periodKey)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return row?.at ? new Date(String(row.at)) : null;
}

export async function markSent(db: Kysely<Database>, row: OutboxRow, messageId: string): Promise<void> {
  await db
    .updateTable('digest_outbox')
    .set({ status: 'sent', message_id: messageId, sent_at: new Date().toISOString(), error: null })
    .where('subscription_id', '=', row.subscriptionId)
    .where('period', '=', row.period)
    .execute();
}

export async function markSkipped(db: Kysely<Database>, row: OutboxRow, reason: string): Promise<void> {
  await db
    .updateTable('digest_outbox')
    .set({ status: 'skipped', error: reason })
    .where('subscription_id', '=', row.subscriptionId)
    .where('period', '=', row.period)
    .execute();
}

export async function markRetry(
  db: Kysely<Database>,
  row: OutboxRow,
  error: string,
  next: Date,
): Promise<void> {
  await db
    .updateTable('digest_outbox')
    .set({ status: 'pending', error: error.slice(0, 500), next_attempt_at: next.toISOString() })
    .where('subscription_id', '=', row.subscriptionId)
    .where('period', '=', row.period)
    .execute();
}

export async function markFailed(db: Kysely<Database>, row: OutboxRow, error: string): Promise<void> {
  await db
    .updateTable('digest_outbox')
    .set({ status: 'failed', error: error.slice(0, 500) })
    .where('subscription_id', '=', row.subscriptionId)
    .where('period', '=', row.period)
    .execute();
}

/** How many rows of a period are in each state. */
export async function periodCounts(db: Kysely<Database>, periodKey: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('digest_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('period', '=', periodKey)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Periods that still have rows waiting (for retries), for the scheduler. */
export async function periodsWithPendingRows(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('digest_outbox')
    .select('period')
    .distinct()
    .where('status', 'in', ['pending', 'sending'])
    .execute();
  return rows.map((r) => r.period);
}
