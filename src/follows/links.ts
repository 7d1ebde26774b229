import { safeEqual, sign } from '../users/tokens.ts';

/**
 * The unsubscribe link of notification mail: `userId.signature`, an HMAC-SHA256 with the instance secret over its
 * purpose and the member, as the digests' links (src/digests/links.ts) are. Nothing is stored; it cannot be forged,
 * nor used for anything but switching this member's notification mail off. Pure.
 */
const PURPOSE = 'notifications-unsubscribe';

export function unsubscribeToken(secret: Buffer, userId: number): string {
  return `${userId}.${sign(secret, `${PURPOSE}:${userId}`)}`;
}

/** The member of a valid token, or null. */
export function readUnsubscribeToken(secret: Buffer, token: string): number | null {
  const m = /^(\d{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  if (id < 1 || id > 2_147_483_647) return null;
  return safeEqual(m[2]!, sign(secret, `${PURPOSE}:${id}`)) ? id : null;
}
