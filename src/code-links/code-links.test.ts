import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedPapers } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  createStoreUnderTest as createTestStore,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';
import { createApiToken, findUserByUsername } from '../users/users.store.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;
let admin: TestClient;
let submitter: TestClient;
let other: TestClient;
let token: string;

beforeAll(async () => {
  store = await createTestStore();
  await seedPapers(store, [
    paperRecord({ id: '2601.00001', title: 'Featured by sam' }),
    paperRecord({ id: 'hep-th/9901001', title: 'Old one', authors: ['Ada Lovelace'] }),
    paperRecord({ id: '2601.00009', title: 'Hidden' }),
  ]);
  await sql`UPDATE papers SET hidden_at = '2026-01-01' WHERE id = '2601.00009'`.execute(store.db);
  app = await createTestApp(store);
  admin = await new TestClient(app).signUp('admin');
  submitter = await new TestClient(app).signUp('sam');
  other = await new TestClient(app).signUp('otto');
  const sam = await findUserByUsername(store.db, 'sam');
  await sql`INSERT INTO features (paper_id, day, submitted_at, submitter, trending_score, source, created_at, submitter_id)
    VALUES ('2601.00001', '2026-01-02', '2026-01-02T09:00:00Z', 'sam', 0, 'member', '2026-01-02T09:00:00Z', ${sam!.id})`.execute(
    store.db,
  );
  token = await createApiToken(store.db, sam!.id, 'bot');
});
afterAll(() => store.dispose());

const api = (path: string, body: unknown, bearer = token) =>
  app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('code and project links', () => {
  it('the submitter sets them with an API token; they show on the paper, its card and in the HF API', async () => {
    const res = await api('/api/papers/2601.00001/links', {
      githubRepo: 'https://github.com/org/repo/tree/main',
      projectPage: 'https://org.github.io/repo/',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: '2601.00001',
      githubRepo: 'https://github.com/org/repo',
      projectPage: 'https://org.github.io/repo/',
    });
    const page = await (await app.request('/papers/2601.00001')).text();
    expect(page).toContain('href="https://github.com/org/repo"');
    expect(page).toContain('href="https://org.github.io/repo/"');
    expect(await (await app.request('/new')).text()).toContain('href="https://github.com/org/repo"');
    const flat = (await (await app.request('/api/papers/2601.00001')).json()) as Record<string, unknown>;
    expect(flat.githubRepo).toBe('https://github.com/org/repo');
    // a field left out stays; null removes
    await api('/api/papers/2601.00001/links', { projectPage: null });
    const after = (await (await app.request('/api/papers/2601.00001')).json()) as Record<string, unknown>;
    expect(after.githubRepo).toBe('https://github.com/org/repo');
    expect(after.projectPage).toBeNull();
  });

  it('the form on the paper page, for the submitter only; a moderator may too, and that is logged', async () => {
    expect((await submitter.page('/papers/2601.00001')).html).toContain('Edit code and project links');
    expect((await other.page('/papers/2601.00001')).html).not.toContain('Edit code and project links');
    expect(
      (
        await submitter.post('/papers/2601.00001/links', {
          githubRepo: 'https://github.com/org/other',
          projectPage: '',
        })
      ).status,
    ).toBe(303);
    expect(
      (await other.post('/papers/2601.00001/links', { githubRepo: 'https://github.com/evil/x' })).status,
    ).toBe(403);
    expect((await admin.page('/papers/hep-th/9901001')).html).toContain('Edit code and project links');
    expect(
      (
        await admin.post('/papers/hep-th/9901001/links', {
          githubRepo: 'https://github.com/a/b',
          projectPage: '',
        })
      ).status,
    ).toBe(303);
    const log = await (await app.request('/moderation')).text();
    expect(log).toContain('set-links');
    expect(log).toContain('code: https://github.com/a/b');
  });

  it('answers hostile input with 400/401/403/404 and a JSON message, never 500', async () => {
    const cases: [string, unknown, number][] = [
      ['/api/papers/2601.00001/links', {}, 400],
      ['/api/papers/2601.00001/links', 'not json', 400],
      ['/api/papers/2601.00001/links', '[1,2]', 400],
      ['/api/papers/2601.00001/links', { githubRepo: 'https://gitlab.com/a/b' }, 400],
      ['/api/papers/2601.00001/links', { githubRepo: 'javascript:alert(1)' }, 400],
      ['/api/papers/2601.00001/links', { githubRepo: 42 }, 400],
      ['/api/papers/2601.00001/links', { projectPage: 'javascript:alert(1)//x.y' }, 400],
      ['/api/papers/2601.00001/links', { projectPage: 'https://user:pw@evil.example/' }, 400],
      ['/api/papers/2601.00001/links', { projectPage: `https://x.example/${'a'.repeat(600)}` }, 400],
      ['/api/papers/2601.00001/links', { projectPage: 'https://x.example/"><script>' }, 400],
      ['/api/papers/2601.00009/links', { githubRepo: 'https://github.com/a/b' }, 404],
      ['/api/papers/2612.99999/links', { githubRepo: 'https://github.com/a/b' }, 404],
      ['/api/papers/hep-th/9901001/links', { githubRepo: 'https://github.com/a/b' }, 403],
    ];
    for (const [path, body, status] of cases) {
      const res = await api(path, body);
      expect(res.status, `${path} ${JSON.stringify(body).slice(0, 60)}`).toBe(status);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(0);
    }
    const anonymous = await app.request('/api/papers/2601.00001/links', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"githubRepo":null}',
    });
    expect(anonymous.status).toBe(401);
  });
});
