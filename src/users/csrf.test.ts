import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { seedFeatures } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  count,
  createStoreUnderTest as createTestStore,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;
let member: TestClient;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store);
  await seedFeatures(store, [{ day: '2025-02-12', upvotes: 1, paper: { id: '2502.00001' } }]);
  member = await new TestClient(app).signUp('mallory-target');
});
afterAll(async () => {
  await store.dispose();
});

const votes = () => count(store, sql<{ n: number }>`SELECT count(*) AS n FROM votes`);

describe('CSRF', () => {
  it('refuses a cross-site form post even with the session cookie and a valid token', async () => {
    const res = await member.post('/papers/2502.00001/upvote', {}, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const fetchSite = await member.post(
      '/papers/2502.00001/upvote',
      {},
      { origin: '', 'sec-fetch-site': 'cross-site' },
    );
    expect(fetchSite.status).toBe(403);
    expect(await votes()).toBe(0);
  });

  it('refuses a same-site post without the session CSRF token, or with another session token', async () => {
    const other = await new TestClient(app).signUp('other-member');
    const noToken = await member.request('/papers/2502.00001/upvote', {
      method: 'POST',
      body: new URLSearchParams({}),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noToken.status).toBe(403);
    const stolen = await member.request('/papers/2502.00001/upvote', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: other.csrf }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(stolen.status).toBe(403);
    expect(await votes()).toBe(0);
  });

  it('accepts the form with its token, and htmx with the header', async () => {
    expect((await member.post('/papers/2502.00001/upvote', { next: '/' })).status).toBe(303);
    const htmx = await member.request('/papers/2502.00001/unvote', {
      method: 'POST',
      headers: { 'x-csrf-token': member.csrf, 'hx-request': 'true' },
    });
    expect(htmx.status).toBe(200);
    expect(await htmx.text()).toContain('aria-pressed="false"');
    expect(await votes()).toBe(0);
  });

  it('does not ask API token requests for a CSRF token', async () => {
    await member.page('/settings');
    const token = /<code class="secret">(pb_[^<]+)</.exec(
      await (await member.post('/settings/tokens', { name: 't' })).text(),
    )![1]!;
    const res = await app.request('/api/papers/2502.00001/upvote', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ upvotes: 2, upvoted: true });
  });
});
