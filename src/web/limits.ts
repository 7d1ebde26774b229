import type { Context } from 'hono';
import { apiError } from './api-error.ts';

/**
 * Fixed-window rate limits kept in this process's memory: enough for one machine (the PostgreSQL store will
 * keep counters in the database so several app processes share them). `hit` counts one event for a key and
 * says whether it is allowed and, if not, in how many seconds it will be.
 */
export interface Limit {
  /** events allowed per window */
  max: number;
  windowMs: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  hit(key: string, limit: Limit): { ok: true } | { ok: false; retryAfterSeconds: number } {
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

  /** Forgets a key, e.g. a login's failures once it succeeds. */
  reset(key: string): void {
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
