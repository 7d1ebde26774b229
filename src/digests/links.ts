import { safeEqual, sign } from '../users/tokens.ts';

/**
 * Signed links in digest mail: HMAC-SHA256 with the instance secret over the purpose, the subscription and
 * (for confirmations) an expiry, so no token is stored and none can be forged or reused for another purpose.
 * A token is `id.expiry.signature` (expiry 0 = does not expire). Pure.
 */
export type LinkPurpose = 'confirm' | 'manage' | 'unsubscribe' | `view:${string}`;

export const CONFIRM_TTL_MS = 7 * 86_400_000;

export function makeToken(
  secret: Buffer,
  purpose: LinkPurpose,
  subscriptionId: number,
  expiresAt = 0,
): string {
  return `${subscriptionId}.${expiresAt}.${sign(secret, `${purpose}:${subscriptionId}:${expiresAt}`)}`;
}

/** The subscription id of a valid, unexpired token for this purpose, or null. */
export function readToken(
  secret: Buffer,
  purpose: LinkPurpose,
  token: string,
  now = Date.now(),
): number | null {
  const m = /^(\d{1,12})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  const expiresAt = Number(m[2]);
  if (!safeEqual(m[3]!, sign(secret, `${purpose}:${id}:${expiresAt}`))) return null;
  if (expiresAt !== 0 && expiresAt < now) return null;
  return id;
}
