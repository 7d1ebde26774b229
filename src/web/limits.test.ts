import { describe, expect, it } from 'vitest';
import { RateLimiter } from './limits.ts';

describe('RateLimiter', () => {
  it('allows max events per window, then says when to come back', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    const limit = { max: 3, windowMs: 60_000 };
    expect([1, 2, 3].map(() => limiter.hitNow('a', limit).ok)).toEqual([true, true, true]);
    expect(limiter.hitNow('a', limit)).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(limiter.hitNow('b', limit).ok).toBe(true);
    now += 45_000;
    expect(limiter.hitNow('a', limit)).toEqual({ ok: false, retryAfterSeconds: 15 });
    now += 15_000;
    expect(limiter.hitNow('a', limit).ok).toBe(true);
    void limiter.reset('a');
    expect(limiter.hitNow('a', { max: 1, windowMs: 1000 }).ok).toBe(true);
  });
});
