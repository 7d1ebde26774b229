import type { PaperPosition } from './papers.store.ts';

/**
 * The `cursor` of `GET /api/papers`: where the previous page stopped, as an opaque token. Pure.
 * It is `base64url("1," + publishedAt + "," + pk)`, publishedAt empty for the undated papers at the end; a
 * client only passes back what a `Link` header gave it, so anything else is refused (null), never guessed at.
 */
const VERSION = '1';
const MAX_PK = 2_147_483_647;
/** what a stored arXiv date looks like: ISO 8601 (2025-02-11T00:00:00.000Z), at most 40 characters */
const DATE = /^[0-9][0-9T:.+Z-]{0,39}$/;

export function encodeCursor(position: PaperPosition): string {
  return Buffer.from(`${VERSION},${position.publishedAt ?? ''},${position.pk}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): PaperPosition | null {
  if (cursor.length === 0 || cursor.length > 120 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // base64url decoding skips what it cannot read: only a cursor that encodes back to itself is one we made
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) return null;
  const m = /^1,([^,]*),([0-9]{1,10})$/.exec(text);
  if (!m) return null;
  const pk = Number(m[2]);
  if (pk < 1 || pk > MAX_PK) return null;
  const publishedAt = m[1] === '' ? null : m[1]!;
  if (publishedAt !== null && !DATE.test(publishedAt)) return null;
  return { publishedAt, pk };
}
