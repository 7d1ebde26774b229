import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The signature on every post (docs/webhooks.md): `X-Paperboy-Signature: sha256=<hex>`, the HMAC-SHA256 (RFC 2104)
 * of `<timestamp>.<body>` under the webhook's secret, with the timestamp (Unix seconds) in `X-Paperboy-Timestamp`.
 * Signing the timestamp with the body lets a receiver refuse a replayed post; a retry is signed anew. Pure.
 * @example signBody('s3cret', 1764230400, '{"id":"feature:2611.00001"}') // 'sha256=…'
 */
export function signBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** How far a receiver lets a timestamp stray from its clock, by default. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * What a receiver checks: the signature matches (in constant time) and the timestamp is within the tolerance of
 * `nowSeconds`. Here for the tests and as the reference for receivers.
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (!headers.timestamp || !headers.signature || !/^\d{1,12}$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A new webhook secret: 32 random bytes as hex. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}
