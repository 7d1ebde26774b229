import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Limit, Limiter, LimitVerdict } from './limits.ts';

/**
 * The same fixed windows kept in the database (PostgreSQL, or one SQLite file under WEB_PROCESSES > 1), one
 * upsert per event, so several app processes share them.
 * Old windows are deleted now and then by the hits themselves.
 */
export class DatabaseRateLimiter implements Limiter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(key: string, limit: Limit): Promise<LimitVerdict> {
    key = storedKey(key);
    const now = this.now();
    const expired = sql`rate_limits.window_start <= ${now - limit.windowMs}`;
    const row = await sql<{ window_start: number; count: number }>`
      INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, ${now}, 1)
      ON CONFLICT (key) DO UPDATE SET
        window_start = CASE WHEN ${expired} THEN ${now} ELSE rate_limits.window_start END,
        count = CASE WHEN ${expired} THEN 1 ELSE rate_limits.count + 1 END
      RETURNING window_start, count`.execute(this.db);
    if (Math.random() < 0.01) {
      await sql`DELETE FROM rate_limits WHERE window_start < ${now - 3_600_000}`.execute(this.db);
    }
    const window = row.rows[0]!;
    if (window.count <= limit.max) return { ok: true };
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((Number(window.window_start) + limit.windowMs - now) / 1000)),
    };
  }

  async reset(key: string): Promise<void> {
    await sql`DELETE FROM rate_limits WHERE key = ${storedKey(key)}`.execute(this.db);
  }
}

/**
 * Keys carry what a visitor typed (a login name): PostgreSQL refuses a NUL in text, and a long key is stored
 * as its hash, so any key is kept, under the same name each time.
 */
function storedKey(key: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (key.length <= 200 && !/[\u0000-\u001f]/.test(key)) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
