import type { Kysely } from 'kysely';
import type { Database, FollowKind } from '../db/schema.ts';
import type { FollowTarget } from './follow-keys.ts';

/** The most a member follows: enough for any reader, and a bound on what one member costs the notify job. */
export const MAX_FOLLOWS = 200;

export interface Follow {
  id: number;
  kind: FollowKind;
  value: string;
  key: string;
  createdAt: string;
}

export type FollowResult = { id: number; created: boolean } | { problem: 'too-many' };

/** Follows a target (again: nothing changes); refused past MAX_FOLLOWS. */
export async function follow(
  db: Kysely<Database>,
  userId: number,
  target: FollowTarget,
): Promise<FollowResult> {
  const existing = await followOf(db, userId, target.kind, target.key);
  if (existing !== null) return { id: existing, created: false };
  const count = await db
    .selectFrom('follows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_FOLLOWS) return { problem: 'too-many' };
  await db
    .insertInto('follows')
    .values({
      user_id: userId,
      kind: target.kind,
      value: target.value,
      key: target.key,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return { id: (await followOf(db, userId, target.kind, target.key))!, created: true };
}

/** The member's follow of this kind and key, or null. */
export async function followOf(
  db: Kysely<Database>,
  userId: number,
  kind: FollowKind,
  key: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('follows')
    .select('id')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

/** Stops following; false when the member did not follow it. Notifications it made stay. */
export async function unfollow(
  db: Kysely<Database>,
  userId: number,
  kind: FollowKind,
  key: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('follows')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** What a member follows, by kind, oldest first. */
export async function followsOf(db: Kysely<Database>, userId: number): Promise<Follow[]> {
  const rows = await db
    .selectFrom('follows')
    .select(['id', 'kind', 'value', 'key', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('kind')
    .orderBy('id')
    .limit(MAX_FOLLOWS)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    value: r.value,
    key: r.key,
    createdAt: r.created_at,
  }));
}
