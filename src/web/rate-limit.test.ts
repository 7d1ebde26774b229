import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('createRateLimiter', () => {
  it('allows a burst of `limit`, then refills one action per window/limit, per key', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => t });
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(limiter.take('b').ok).toBe(true);
    t += 19_000;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    t += 1_000;
    expect(limiter.take('a')).toEqual({ ok: true, remaining: 0 });
    t += 10 * 60_000;
    expect(limiter.take('a')).toEqual({ ok: true, remaining: 2 });
  });

  it('forgets the least recently used keys beyond maxKeys', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, now: () => 0, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a').ok).toBe(true); // forgotten, so it starts again
    expect(limiter.take('c').ok).toBe(false);
  });

  it('refuses nonsense settings', () => {
    expect(() => createRateLimiter({ limit: 0, windowMs: 1 })).toThrow();
    expect(() => createRateLimiter({ limit: 1, windowMs: 0 })).toThrow();
  });
});
