import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { seedFeatures } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  count,
  createStoreUnderTest as createTestStore,
  row,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';
import { trendingScore } from '../ranking/trending.ts';
import { createApiToken, createUser } from '../users/users.store.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store, { VOTES_PER_MINUTE: '100000' });
  await seedFeatures(store, [
    { day: '2025-02-12', upvotes: 10, paper: { id: '2502.00001' }, submittedAt: '2025-02-12T09:00:00.000Z' },
    { day: '2025-02-12', upvotes: 0, paper: { id: '2502.00002' } },
  ]);
});
afterAll(async () => {
  await store.dispose();
});

const paperRow = async (id: string) =>
  (await row(
    store,
    sql<{
      upvotes: number;
      trending_score: number;
    }>`SELECT p.upvotes, f.trending_score FROM papers p JOIN features f ON f.paper_id = p.id WHERE p.id = ${id}`,
  ))!;

describe('upvotes', () => {
  it('adds to the imported baseline, once per member, and moves the trending score with it', async () => {
    const member = await new TestClient(app).signUp('voter');
    expect((await member.post('/papers/2502.00001/upvote', {})).status).toBe(303);
    expect((await member.post('/papers/2502.00001/upvote', {})).status).toBe(303);
    expect(await paperRow('2502.00001')).toEqual({
      upvotes: 11,
      trending_score: trendingScore(11, '2025-02-12T09:00:00.000Z'),
    });
    await member.post('/papers/2502.00001/unvote', {});
    await member.post('/papers/2502.00001/unvote', {});
    expect((await paperRow('2502.00001')).upvotes).toBe(10);
  });

  it('sends anonymous visitors to log in and back to the same place', async () => {
    const res = await app.request('/papers/2502.00001/upvote', {
      method: 'POST',
      headers: { referer: 'http://paperboy.test/papers/date/2025-02-12', origin: 'http://paperboy.test' },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fpapers%2Fdate%2F2025-02-12');
    const api = await app.request('/api/papers/2502.00001/upvote', { method: 'POST' });
    expect(api.status).toBe(401);
  });

  it('answers 404 for unknown papers and refuses what is not an id', async () => {
    const member = await new TestClient(app).signUp('voter2');
    expect((await member.post('/papers/2401.99999/upvote', {})).status).toBe(404);
    expect((await member.post('/papers/not-an-id/upvote', {})).status).toBe(404);
  });

  it('counts exactly 200 when 200 members upvote one paper at once over HTTP, and one for a double post', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 200; i++) {
      const user = await createUser(store.db, {
        username: `crowd${i}`,
        email: `crowd${i}@example.org`,
        passwordHash: 'x',
      });
      tokens.push(await createApiToken(store.db, user.id, 'bench'));
    }
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const port = (server.address() as { port: number }).port;
      const vote = (token: string, method = 'POST') =>
        fetch(`http://127.0.0.1:${port}/api/papers/2502.00002/upvote`, {
          method,
          headers: { authorization: `Bearer ${token}` },
        });
      const answers = await Promise.all(tokens.map((t) => vote(t)));
      expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
      expect((await paperRow('2502.00002')).upvotes).toBe(200);
      const same = await Promise.all(Array.from({ length: 20 }, () => vote(tokens[0]!)));
      expect(same.every((a) => a.status === 200)).toBe(true);
      expect((await paperRow('2502.00002')).upvotes).toBe(200);
      const withdrawn = await Promise.all(tokens.slice(0, 50).map((t) => vote(t, 'DELETE')));
      expect(withdrawn.every((a) => a.status === 200)).toBe(true);
      expect((await paperRow('2502.00002')).upvotes).toBe(150);
      expect(
        await count(store, sql<{ n: number }>`SELECT count(*) AS n FROM votes WHERE paper_id = '2502.00002'`),
      ).toBe(150);
    } finally {
      server.close();
    }
  });

  it('swaps the button in place for htmx and shows the state on the list', async () => {
    const member = await new TestClient(app).signUp('htmx-voter');
    const res = await member.request('/papers/2502.00001/upvote', {
      method: 'POST',
      headers: { 'x-csrf-token': member.csrf, 'hx-request': 'true' },
    });
    const html = await res.text();
    expect(html).toMatch(/^<form class="vote-form"/);
    expect(html).toContain('aria-pressed="true"');
    expect(html).toContain('action="/papers/2502.00001/unvote"');
    const list = await member.page('/papers/date/2025-02-12');
    expect(list.html).toContain('action="/papers/2502.00001/unvote"');
    expect(list.html).toContain('action="/papers/2502.00002/upvote"');
  });
});
