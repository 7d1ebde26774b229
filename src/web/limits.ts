import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { apiError } from './api-error.ts';

/**
 * Fixed-window rate limits. `hit` counts one event for a key and says whether it is allowed and, if not, in how
 * many seconds it will be. On SQLite (one process) the counters live in memory (RateLimiter); on PostgreSQL,
 * where several app processes serve one instance, in the database (DatabaseRateLimiter), so every process
 * counts the same events (docs/decisions.md D23).
 */
export interface Limit {
  /** events allowed per window */
  max: number;
  windowMs: number;
}

export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface Limiter {
  hit(key: string, limit: Limit): Promise<LimitVerdict>;
  /** forgets a key, e.g. a login's failures once it succeeds */
  reset(key: string): Promise<void>;
}

export class RateLimiter implements Limiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, limit: Limit): Promise<LimitVerdict> {
    return this.hitNow(key, limit);
  }

  hitNow(key: string, limit: Limit): LimitVerdict {
    const now = this.now();
    this.sweep(now);
    const window = this.windows.get(key);
    if (!window || now - window.start >= limit.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return { ok: true };
    }
    if (window.count >= limit.max) {
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + limit.windowMs - now) / 1000)),
      };
    }
    window.count++;
    return { ok: true };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  /** Drops windows older than an hour, at most once a minute, so memory stays bounded. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (now - window.start > 3_600_000) this.windows.delete(key);
  }
}

/** 429 with Retry-After: JSON for the API, a short page otherwise. */
export function tooManyRequests(c: Context, retryAfterSeconds: number, what: string) {
  c.header('Retry-After', String(retryAfterSeconds));
  const message = `Too many ${what}. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`;
  if (c.req.path.startsWith('/api/')) return apiError(c, 429, message);
  return c.text(message, 429);
}

/**
 * The same fixed windows kept in a PostgreSQL table, one upsert per event, so several app processes share them.
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
