/**
 * The rate-limit counters kept in the database (DatabaseRateLimiter), on whichever store runs the suite
 * (vitest.config.ts: ON_BOTH_STORES): PostgreSQL's app processes share them, and so do `serve`'s web processes
 * on one SQLite file (WEB_PROCESSES > 1). Two connections stand for two processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createStoreUnderTest, type StoreUnderTest } from '../../test/helpers/store-under-test.ts';
import { DatabaseRateLimiter } from './limits.store.ts';

const opened: StoreUnderTest[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.dispose();
});

describe('DatabaseRateLimiter', () => {
  it('counts one window across connections, says when to come back, and starts a new window after it', async () => {
    const store = await createStoreUnderTest();
    opened.push(store);
    const other = store.reopen();
    let now = 5_000_000;
    const first = new DatabaseRateLimiter(store.db, () => now);
    const second = new DatabaseRateLimiter(other.db, () => now);
    const limit = { max: 3, windowMs: 60_000 };
    try {
      const verdicts = [
        await first.hit('vote:1', limit),
        await second.hit('vote:1', limit),
        await first.hit('vote:1', limit),
        await second.hit('vote:1', limit),
      ];
      expect(verdicts.map((v) => v.ok)).toEqual([true, true, true, false]);
      expect(verdicts[3]).toEqual({ ok: false, retryAfterSeconds: 60 });
      // another key has its own window
      expect((await second.hit('vote:2', limit)).ok).toBe(true);
      now += 45_000;
      expect(await first.hit('vote:1', limit)).toEqual({ ok: false, retryAfterSeconds: 15 });
      now += 15_000;
      expect((await second.hit('vote:1', limit)).ok).toBe(true);
      await first.reset('vote:1');
      expect((await second.hit('vote:1', { max: 1, windowMs: 1000 })).ok).toBe(true);
      expect((await second.hit('vote:1', { max: 1, windowMs: 1000 })).ok).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('counts concurrent hits exactly: none lost, none over the limit', async () => {
    const store = await createStoreUnderTest();
    opened.push(store);
    const others = [store.reopen(), store.reopen()];
    const limiters = [store, ...others].map((s) => new DatabaseRateLimiter(s.db));
    const limit = { max: 25, windowMs: 60_000 };
    try {
      const verdicts = await Promise.all(
        Array.from({ length: 60 }, (_, i) => limiters[i % limiters.length]!.hit('login:x', limit)),
      );
      expect(verdicts.filter((v) => v.ok)).toHaveLength(25);
    } finally {
      for (const s of others) await s.close();
    }
  });

  it('keeps a hostile key as data', async () => {
    const store = await createStoreUnderTest();
    opened.push(store);
    const limiter = new DatabaseRateLimiter(store.db);
    const key = "login:'); DROP TABLE rate_limits; --\u0000é";
    expect((await limiter.hit(key, { max: 1, windowMs: 60_000 })).ok).toBe(true);
    expect((await limiter.hit(key, { max: 1, windowMs: 60_000 })).ok).toBe(false);
    expect((await limiter.hit('other', { max: 1, windowMs: 60_000 })).ok).toBe(true);
    const long = `login-account:${'x'.repeat(5000)}`;
    expect((await limiter.hit(long, { max: 1, windowMs: 60_000 })).ok).toBe(true);
    expect((await limiter.hit(long, { max: 1, windowMs: 60_000 })).ok).toBe(false);
    await limiter.reset(key);
    expect((await limiter.hit(key, { max: 1, windowMs: 60_000 })).ok).toBe(true);
  });
});
