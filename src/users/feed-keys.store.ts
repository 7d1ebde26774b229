import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/env.ts';
import { rowId } from '../web/params.ts';
import { safeEqual, sign } from './tokens.ts';
import { viewerOf } from './users.store.ts';

/**
 * A member's secret feed key, for feed readers on a private instance (`/feeds/daily.rss?key=…`): the member's id
 * and an HMAC of it with the instance secret and the member's feed_key_version. Nothing is stored but the
 * version, so the key can be shown again on Settings; bumping the version revokes every link made with it.
 */
const SIGNATURE_LENGTH = 32;

export function feedKey(secret: Buffer, userId: number, version: number): string {
  return `${userId}.${sign(secret, `feed:${userId}:${version}`).slice(0, SIGNATURE_LENGTH)}`;
}

export async function feedKeyOf(db: Kysely<Database>, secret: Buffer, userId: number): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('feed_key_version')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return feedKey(secret, userId, row.feed_key_version);
}

/** The member a feed key belongs to (not banned), or null for a wrong, revoked or malformed key. */
export async function feedKeyViewer(
  db: Kysely<Database>,
  secret: Buffer,
  key: string,
): Promise<Viewer | null> {
  const m = /^([0-9]{1,10})\.[A-Za-z0-9_-]{32}$/.exec(key);
  const id = m ? rowId(m[1]) : null;
  if (id === null) return null;
  const row = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'show_upvotes', 'feed_key_version'])
    .where('id', '=', id)
    .where('banned_at', 'is', null)
    .executeTakeFirst();
  if (!row || !safeEqual(feedKey(secret, row.id, row.feed_key_version), key)) return null;
  return viewerOf(row);
}

/** Makes a new feed key; the old links stop working. */
export async function resetFeedKey(db: Kysely<Database>, userId: number): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ feed_key_version: eb('feed_key_version', '+', 1) }))
    .where('id', '=', userId)
    .execute();
}
