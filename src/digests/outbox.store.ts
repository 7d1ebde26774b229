import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DigestPeriod } from './digest-period.ts';

/**
 * The digest outbox: one row per (subscription, period), its primary key. A period's rows are made once for the
 * subscribers confirmed at that moment; each row then moves pending → sending → sent (or skipped, or failed after
 * its retries). A row found in `sending` when a run starts was interrupted by a crash and is sent again with the
 * same Message-ID (docs/decisions.md D26).
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

/** Rows a crash left in `sending` go back to pending, to be sent again. */
export async function recoverInterrupted(db: Kysely<Database>, periodKey: string): Promise<number> {
  const result = await db
    .updateTable('digest_outbox')
    .set({ status: 'pending' })
    .where('period', '=', periodKey)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Takes up to `limit` due rows, marking them `sending` in the same transaction. */
export async function claimDue(
  db: Kysely<Database>,
  periodKey: string,
  now: Date,
  limit: number,
): Promise<OutboxRow[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('digest_outbox')
      .select(['subscription_id', 'period', 'attempts'])
      .where('period', '=', periodKey)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now.toISOString())
      .orderBy('subscription_id')
      .limit(limit)
      .execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('digest_outbox')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1) }))
      .where('period', '=', periodKey)
      .where(
        'subscription_id',
        'in',
        rows.map((r) => r.subscription_id),
      )
      .execute();
    return rows.map((r) => ({
      subscriptionId: r.subscription_id,
      period: r.period,
      attempts: r.attempts + 1,
    }));
  });
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
