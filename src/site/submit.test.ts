import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedPapers } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  createStoreUnderTest as createTestStore,
  row,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';
import type { PaperRecord } from '../papers/paper.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;
let member: TestClient;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const lookedUp: string[][] = [];

beforeAll(async () => {
  store = await createTestStore();
  const fromArxiv: PaperRecord = paperRecord({
    id: '2511.00042',
    title: 'Fetched from arXiv',
    publishedAt: daysAgo(1),
  });
  app = await createTestApp(
    store,
    { SUBMIT_DAILY_LIMIT: '3' },
    {
      // arXiv itself cannot be reached here: this stands in for it, storing what "arXiv" has through the real writer
      arxiv: {
        addPapers: async (ids) => {
          lookedUp.push([...ids]);
          const found = ids.includes(fromArxiv.id) ? [fromArxiv] : [];
          await seedPapers(store, found);
          const missing = ids.filter((id) => id !== fromArxiv.id);
          return {
            stored: found.map((p) => p.id),
            missing,
            counts: { inserted: found.length, updated: 0, unchanged: 0 },
          };
        },
      },
    },
  );
  await seedPapers(store, [
    paperRecord({ id: '2511.00001', title: 'Fresh paper', publishedAt: daysAgo(2) }),
    paperRecord({ id: '2511.00002', publishedAt: daysAgo(3) }),
    paperRecord({ id: '2511.00003', publishedAt: daysAgo(4) }),
    paperRecord({ id: '2511.00004', publishedAt: daysAgo(5) }),
    paperRecord({ id: '2401.00001', title: 'Old paper', publishedAt: daysAgo(40) }),
  ]);
  await new TestClient(app).signUp('admin');
  member = await new TestClient(app).signUp('submitter');
});
afterAll(async () => {
  await store.dispose();
});

const today = () => new Date().toISOString().slice(0, 10);

describe('submitting to the daily list', () => {
  it('finds the paper from any URL people paste and shows it before confirming', async () => {
    const page = await member.page(
      `/submit?id=${encodeURIComponent('https://huggingface.co/papers/2511.00001')}`,
    );
    expect(page.status).toBe(200);
    expect(page.html).toContain('Fresh paper');
    expect(page.html).toContain('Feature it today');
  });

  it('features it today with the optional comment as the first comment', async () => {
    const res = await member.post('/submit', { id: 'arXiv:2511.00001v2', comment: 'Worth a read.' });
    expect(res.status).toBe(303);
    const feature = await row(
      store,
      sql`SELECT day, submitter, source FROM features WHERE paper_id = '2511.00001'`,
    );
    expect(feature).toEqual({ day: today(), submitter: 'submitter', source: 'member' });
    const paper = await member.page('/papers/2511.00001');
    expect(paper.html).toContain('Worth a read.');
    expect(paper.html).toContain('<span class="badge">submitter</span>');
    expect((await app.request('/')).status).toBe(200);
    expect(await (await app.request(`/papers/date/${today()}`)).text()).toContain('Fresh paper');
  });

  it('features a paper once, only recent ones, and at most the daily cap', async () => {
    const again = await member.post('/submit', { id: '2511.00001' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already on the list');
    const old = await member.post('/submit', { id: '2401.00001' });
    expect(old.status).toBe(422);
    expect(await old.text()).toContain('Only papers published in the last 14 days');
    expect((await member.post('/submit', { id: '2511.00002' })).status).toBe(303);
    expect((await member.post('/submit', { id: '2511.00003' })).status).toBe(303);
    const capped = await member.post('/submit', { id: '2511.00004' });
    expect(capped.status).toBe(429);
    expect(await capped.text()).toContain('3 papers today');
  });

  it('fetches an unknown paper through the arXiv client and stores it', async () => {
    const other = await new TestClient(app).signUp('second');
    const page = await other.page('/submit?id=2511.00042');
    expect(page.html).toContain('Fetched from arXiv');
    expect(lookedUp).toContainEqual(['2511.00042']);
    const missing = await other.page('/submit?id=2511.09999');
    expect(missing.status).toBe(404);
  });

  it('refuses what is not an arXiv id with a message', async () => {
    for (const id of [
      '',
      'hello',
      'https://evil.example/abs/2511.00001',
      '<script>alert(1)</script>',
      'x'.repeat(3000),
    ]) {
      const res = await member.post('/submit', { id });
      expect(res.status).toBe(400);
      expect(await res.text()).not.toContain('<script>alert(1)</script>');
    }
  });

  it('submits through the API with a token: POST /api/papers/submit', async () => {
    const api = await new TestClient(app).signUp('api-user');
    await api.page('/settings');
    const token = /<code class="secret">(pb_[^<]+)</.exec(
      await (await api.post('/settings/tokens', { name: 'bot' })).text(),
    )![1]!;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const res = await app.request('/api/papers/submit', {
      method: 'POST',
      headers,
      body: JSON.stringify({ arxivId: '2511.00004' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      paper: { id: '2511.00004' },
      submittedBy: { user: 'api-user' },
    });
    const dup = await app.request('/api/papers/submit', {
      method: 'POST',
      headers,
      body: JSON.stringify({ arxivId: '2511.00004' }),
    });
    expect(dup.status).toBe(409);
    expect(Object.keys((await dup.json()) as object)).toEqual(['error']);
    for (const body of ['nope', '{}', '{"arxivId": 5}', '{"arxivId": "x"}']) {
      expect((await app.request('/api/papers/submit', { method: 'POST', headers, body })).status).toBe(400);
    }
    expect(
      (await app.request('/api/papers/submit', { method: 'POST', body: '{"arxivId":"2511.00004"}' })).status,
    ).toBe(401);
  });

  it('asks anonymous visitors to log in first', async () => {
    const res = await app.request('/submit');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fsubmit');
  });
});
