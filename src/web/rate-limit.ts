import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * A per-key rate limiter in process memory (a token bucket): `limit` actions per `windowMs`, refilled
 * continuously, so a burst up to `limit` is allowed and then one action every `windowMs / limit`.
 * One machine only: several app processes would each count on their own (the PostgreSQL deployment keeps rate
 * limits in the database, see the shared architecture guide).
 *
 * @example const limiter = createRateLimiter({ limit: 20, windowMs: 3_600_000 });
 *          const verdict = limiter.take(clientAddress(c) ?? 'unknown');
 *          if (!verdict.ok) c.header('Retry-After', String(verdict.retryAfterSeconds));
 */
export interface RateLimiter {
  take(key: string): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
  /** keys remembered at most; the least recently used are forgotten first (bounded memory under a flood) */
  maxKeys?: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs } = options;
  if (!(limit >= 1) || !(windowMs > 0)) throw new Error('a rate limit needs limit ≥ 1 and a positive window');
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const perMs = limit / windowMs;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const previous = buckets.get(key);
      const tokens = previous ? Math.min(limit, previous.tokens + (t - previous.at) * perMs) : limit;
      buckets.delete(key);
      if (tokens < 1) {
        buckets.set(key, { tokens, at: t });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      }
      buckets.set(key, { tokens: tokens - 1, at: t });
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      return { ok: true, remaining: Math.floor(tokens - 1) };
    },
  };
}

/** The address of the peer of this request's connection, or null when there is no socket (`app.request()` tests). */
export function clientAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
