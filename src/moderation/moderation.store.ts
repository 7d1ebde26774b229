import type { Kysely, Transaction } from 'kysely';
import type { Database, Role } from '../db/schema.ts';

export type ModerationAction =
  | 'unfeature'
  | 'hide-paper'
  | 'unhide-paper'
  | 'delete-comment'
  | 'ban'
  | 'unban'
  | 'set-role'
  | 'approve-claim'
  | 'reject-claim'
  | 'set-links';

/** The log row, written in the same transaction as the change it records (append-only: see migration 0003). */
export async function logModeration(
  trx: Transaction<Database>,
  moderatorId: number,
  action: ModerationAction,
  target: string,
  reason: string | null,
): Promise<void> {
  await trx
    .insertInto('moderation_log')
    .values({ created_at: new Date().toISOString(), moderator_id: moderatorId, action, target, reason })
    .execute();
}

/** Takes a paper off its daily list. False when it was not featured. */
export async function unfeaturePaper(
  db: Kysely<Database>,
  moderatorId: number,
  paperId: string,
  reason: string | null,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('features').where('paper_id', '=', paperId).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return false;
    await logModeration(trx, moderatorId, 'unfeature', `paper:${paperId}`, reason);
    return true;
  });
}

/** Hides a paper from every list, search and the API (or shows it again). */
export async function setPaperHidden(
  db: Kysely<Database>,
  moderatorId: number,
  paperId: string,
  hidden: boolean,
  reason: string | null,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('papers')
      .set({ hidden_at: hidden ? new Date().toISOString() : null })
      .where('id', '=', paperId)
      .where('hidden_at', hidden ? 'is' : 'is not', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await logModeration(trx, moderatorId, hidden ? 'hide-paper' : 'unhide-paper', `paper:${paperId}`, reason);
    return true;
  });
}

/** Bans a member (their sessions and API tokens end at once) or lifts the ban. Admins cannot be banned. */
export async function setBanned(
  db: Kysely<Database>,
  moderatorId: number,
  username: string,
  banned: boolean,
  reason: string | null,
): Promise<'done' | 'not-found' | 'protected' | 'unchanged'> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'role', 'banned_at', 'username'])
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .executeTakeFirst();
    if (!user) return 'not-found' as const;
    if (user.role !== 'member') return 'protected' as const;
    if ((user.banned_at !== null) === banned) return 'unchanged' as const;
    await trx
      .updateTable('users')
      .set({ banned_at: banned ? new Date().toISOString() : null })
      .where('id', '=', user.id)
      .execute();
    if (banned) {
      await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: new Date().toISOString() })
        .where('user_id', '=', user.id)
        .where('revoked_at', 'is', null)
        .execute();
    }
    await logModeration(trx, moderatorId, banned ? 'ban' : 'unban', `user:${user.username}`, reason);
    return 'done' as const;
  });
}

/** An admin makes a member a moderator (or back). */
export async function setRole(
  db: Kysely<Database>,
  adminId: number,
  username: string,
  role: Role,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'username'])
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .executeTakeFirst();
    if (!user || user.id === adminId) return false;
    await trx.updateTable('users').set({ role }).where('id', '=', user.id).execute();
    await logModeration(trx, adminId, 'set-role', `user:${user.username}`, role);
    return true;
  });
}

export async function moderationLog(db: Kysely<Database>, limit: number, offset: number) {
  return db
    .selectFrom('moderation_log')
    .innerJoin('users', 'users.id', 'moderation_log.moderator_id')
    .select([
      'moderation_log.id',
      'moderation_log.created_at',
      'moderation_log.action',
      'moderation_log.target',
      'moderation_log.reason',
      'users.username as moderator',
    ])
    .orderBy('moderation_log.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}
