import type { Context } from 'hono';
import { refused } from './api-error.ts';

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
  return refused(c, 429, message);
}
