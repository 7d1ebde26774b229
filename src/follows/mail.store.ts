import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Notification mail: each member's setting (off by default), and an outbox of one row per (member, day) made
 * from the unread notifications not yet mailed, moving pending → sending (a lease) → sent, skipped or failed, as
 * the digests' outbox does (src/digests/outbox.store.ts, docs/decisions.md D25).
 */
export type MailSetting = 'off' | 'daily';

export async function mailSettingOf(db: Kysely<Database>, userId: number): Promise<MailSetting> {
  const row = await db
    .selectFrom('notification_settings')
    .select('email')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.email ?? 'off';
}

/**
 * Sets a member's notification mail. Switching it on starts from now: what they were told before is not mailed.
 */
export async function setMailSetting(
  db: Kysely<Database>,
  userId: number,
  email: MailSetting,
): Promise<void> {
  const now = new Date().toISOString();
  const newest = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.max('id').as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const current = await db
    .selectFrom('notification_settings')
    .select(['email', 'mailed_through'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const through =
    email === 'daily' && current?.email !== 'daily'
      ? Number(newest?.n ?? 0)
      : Number(current?.mailed_through ?? 0);
  await db
    .insertInto('notification_settings')
    .values({ user_id: userId, email, mailed_through: through, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ email, mailed_through: through, updated_at: now }))
    .execute();
}

/**
 * Makes the day's outbox rows: one per member with mail on and unread notifications not mailed yet, each
 * covering (mailed_through, newest]; the setting moves past them in the same transaction, so a row is made once
 * and no notification goes in two mails. Returns how many rows are new.
 */
export async function enqueueMail(db: Kysely<Database>, day: string, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('notification_settings as s')
      .innerJoin('notifications as n', (join) =>
        join.onRef('n.user_id', '=', 's.user_id').on('n.read_at', 'is', null),
      )
      .select(['s.user_id', 's.mailed_through', (eb) => eb.fn.max('n.id').as('newest')])
      .where('s.email', '=', 'daily')
      .whereRef('n.id', '>', 's.mailed_through')
      .groupBy(['s.user_id', 's.mailed_through'])
      .execute();
    let made = 0;
    const at = now.toISOString();
    for (const row of due) {
      const result = await trx
        .insertInto('notification_mail')
        .values({
          user_id: row.user_id,
          day,
          after_id: Number(row.mailed_through),
          through_id: Number(row.newest),
          next_attempt_at: at,
          message_id: null,
          error: null,
          created_at: at,
          sent_at: null,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) continue;
      made++;
      await trx
        .updateTable('notification_settings')
        .set({ mailed_through: Number(row.newest) })
        .where('user_id', '=', row.user_id)
        .execute();
    }
    return made;
  });
}

export interface MailRow {
  userId: number;
  day: string;
  afterId: number;
  throughId: number;
  attempts: number;
}

/** Takes up to `limit` due rows with a lease until `leaseUntil`; the UPDATE re-checks, so two senders never share one. */
export async function claimDueMail(
  db: Kysely<Database>,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<MailRow[]> {
  const at = now.toISOString();
  const claimable = (eb: ExpressionBuilder<Database, 'notification_mail'>) =>
    eb.or([
      eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
      eb.and([eb('status', '=', 'sending'), eb('next_attempt_at', '<', at)]),
    ]);
  const candidates = await db
    .selectFrom('notification_mail')
    .select(['user_id', 'day'])
    .where(claimable)
    .orderBy('user_id')
    .limit(limit)
    .execute();
  const claimed: MailRow[] = [];
  for (const c of candidates) {
    const row = await db
      .updateTable('notification_mail')
      .set((eb) => ({
        status: 'sending',
        attempts: eb('attempts', '+', 1),
        next_attempt_at: leaseUntil.toISOString(),
      }))
      .where('user_id', '=', c.user_id)
      .where('day', '=', c.day)
      .where(claimable)
      .returning(['user_id', 'day', 'after_id', 'through_id', 'attempts'])
      .executeTakeFirst();
    if (row)
      claimed.push({
        userId: Number(row.user_id),
        day: row.day,
        afterId: Number(row.after_id),
        throughId: Number(row.through_id),
        attempts: Number(row.attempts),
      });
  }
  return claimed;
}

export async function finishMail(
  db: Kysely<Database>,
  row: MailRow,
  outcome:
    | { status: 'sent'; messageId: string }
    | { status: 'skipped' | 'failed'; error: string }
    | { status: 'pending'; error: string; next: Date },
): Promise<void> {
  const set =
    outcome.status === 'sent'
      ? {
          status: 'sent' as const,
          message_id: outcome.messageId,
          sent_at: new Date().toISOString(),
          error: null,
        }
      : outcome.status === 'pending'
        ? {
            status: 'pending' as const,
            error: outcome.error.slice(0, 500),
            next_attempt_at: outcome.next.toISOString(),
          }
        : { status: outcome.status, error: outcome.error.slice(0, 500) };
  await db
    .updateTable('notification_mail')
    .set(set)
    .where('user_id', '=', row.userId)
    .where('day', '=', row.day)
    .execute();
}

/** The member's address and setting, when they can still be mailed (not banned). */
export async function mailRecipient(
  db: Kysely<Database>,
  userId: number,
): Promise<{ email: string; username: string; setting: MailSetting } | null> {
  const row = await db
    .selectFrom('users')
    .leftJoin('notification_settings as s', 's.user_id', 'users.id')
    .select(['users.email', 'users.username', 's.email as setting'])
    .where('users.id', '=', userId)
    .where('users.banned_at', 'is', null)
    .executeTakeFirst();
  return row ? { email: row.email, username: row.username, setting: row.setting ?? 'off' } : null;
}
