import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { seedFeatures } from '../../test/helpers/factories.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store);
  await seedFeatures(store, [
    { day: '2025-02-12', upvotes: 5, paper: { id: '2502.00001', title: 'Cached' } },
  ]);
});
afterAll(async () => {
  await store.dispose();
});

const upvotesOnPage = async (init?: RequestInit) => {
  const res = await app.request('/api/daily_papers?date=2025-02-12', init);
  return { res, upvotes: ((await res.json()) as { upvotes: number }[])[0]?.upvotes };
};

describe('page cache', () => {
  it('answers again from memory until this process writes', async () => {
    const first = await upvotesOnPage();
    const etag = first.res.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    expect((await upvotesOnPage()).res.headers.get('etag')).toBe(etag);
    await seedFeatures(store, [
      { day: '2025-02-12', upvotes: 9, paper: { id: '2502.00001', title: 'Cached' } },
    ]);
    expect((await upvotesOnPage()).upvotes).toBe(9);
  });

  it('sees writes made by another process (another connection) at once', async () => {
    const other = new BetterSqlite3(join(store.dir, 'paperboy.db'));
    other.prepare("UPDATE papers SET upvotes = 77 WHERE id = '2502.00001'").run();
    other.close();
    expect((await upvotesOnPage()).upvotes).toBe(77);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const { res } = await upvotesOnPage();
    const again = await app.request('/api/daily_papers?date=2025-02-12', {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('never shares answers made for a request with a cookie or a token', async () => {
    const { res } = await upvotesOnPage({ headers: { cookie: 'session=abc' } });
    expect(res.headers.get('etag')).toBeNull();
    const token = await upvotesOnPage({ headers: { authorization: 'Bearer x' } });
    expect(token.res.headers.get('etag')).toBeNull();
  });

  it('keeps security headers on answers from the cache', async () => {
    await app.request('/');
    const cached = await app.request('/');
    expect(cached.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(cached.headers.get('content-type')).toMatch(/text\/html/);
  });
});
