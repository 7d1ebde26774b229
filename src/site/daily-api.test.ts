import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { seedFeatures } from '../../test/helpers/factories.ts';
import {
  createStoreUnderTest as createTestStore,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store);
  await seedFeatures(store, [
    { day: '2025-02-10', upvotes: 5, paper: { id: '2502.00001', title: 'Monday small' } },
    { day: '2025-02-10', upvotes: 50, paper: { id: '2502.00002', title: 'Monday big' }, submitter: 'ak' },
    {
      day: '2025-02-12',
      upvotes: 42,
      paper: { id: '2502.08025', title: 'Wednesday' },
      submittedAt: '2025-02-12T09:30:00.000Z',
    },
    { day: '2025-02-12', upvotes: 7, paper: { id: '2502.00004', title: 'Wednesday small' }, submitter: null },
    { day: '2025-02-17', upvotes: 0, paper: { id: '2502.00005', title: 'Next week zero' } },
    { day: '2025-03-03', upvotes: 3, paper: { id: '2503.00001', title: 'March' } },
  ]);
});
afterAll(async () => {
  await store.dispose();
});

async function getJson(path: string) {
  const res = await app.request(path);
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}

const ids = (items: { paper: { id: string } }[]) => items.map((i) => i.paper.id);

describe('GET /api/daily_papers', () => {
  it('without a period lists the newest features first', async () => {
    const { status, body } = await getJson('/api/daily_papers');
    expect(status).toBe(200);
    // ties on the submission time (both Monday features at 09:00) fall back to the id, newest first
    expect(ids(body)).toEqual([
      '2503.00001',
      '2502.00005',
      '2502.08025',
      '2502.00004',
      '2502.00002',
      '2502.00001',
    ]);
  });

  it('with a date lists that day by upvotes, most first', async () => {
    expect(ids((await getJson('/api/daily_papers?date=2025-02-10')).body)).toEqual([
      '2502.00002',
      '2502.00001',
    ]);
    expect(ids((await getJson('/api/daily_papers?date=2025-02-11')).body)).toEqual([]);
  });

  it('with an ISO week or a month lists the period by upvotes', async () => {
    expect(ids((await getJson('/api/daily_papers?week=2025-W07')).body)).toEqual([
      '2502.00002',
      '2502.08025',
      '2502.00004',
      '2502.00001',
    ]);
    expect(ids((await getJson('/api/daily_papers?month=2025-02')).body)).toHaveLength(5);
    expect(ids((await getJson('/api/daily_papers?month=2025-03')).body)).toEqual(['2503.00001']);
  });

  it('pages with p and limit, filters by submitter, sorts by trending', async () => {
    expect(ids((await getJson('/api/daily_papers?month=2025-02&limit=2&p=1')).body)).toEqual([
      '2502.00004',
      '2502.00001',
    ]);
    expect(ids((await getJson('/api/daily_papers?submitter=ak')).body)).toEqual(['2502.00002']);
    const trending = ids((await getJson('/api/daily_papers?sort=trending')).body);
    // one day newer is worth ten times the upvotes: March's 3 upvotes beat February's 42
    expect(trending[0]).toBe('2503.00001');
    expect(trending.indexOf('2502.08025')).toBeLessThan(trending.indexOf('2502.00004'));
  });

  it('answers field for field as the Hugging Face API does', async () => {
    const { body } = await getJson('/api/daily_papers?date=2025-02-12');
    const item = body[0];
    expect(Object.keys(item).sort()).toEqual(
      [
        'paper',
        'publishedAt',
        'title',
        'summary',
        'thumbnail',
        'numComments',
        'submittedBy',
        'isAuthorParticipating',
        'upvotes',
        'projectPage',
        'githubRepo',
        'githubStars',
        'ai_summary',
        'ai_keywords',
        'organization',
        'source',
      ].sort(),
    );
    expect(Object.keys(item.paper).sort()).toEqual(
      [
        'id',
        'authors',
        'publishedAt',
        'submittedOnDailyAt',
        'submittedOnDailyBy',
        'title',
        'summary',
        'upvotes',
        'discussionId',
        'projectPage',
        'githubRepo',
        'githubStars',
        'ai_summary',
        'ai_keywords',
        'withdrawnAt',
        'organization',
        'source',
      ].sort(),
    );
    expect(item).toMatchObject({
      publishedAt: '2025-02-12T09:30:00.000Z',
      title: 'Wednesday',
      upvotes: 42,
      numComments: 0,
      isAuthorParticipating: false,
      submittedBy: { user: 'akhaliq', type: 'user', _id: expect.any(String), fullname: expect.any(String) },
      paper: {
        id: '2502.08025',
        upvotes: 42,
        publishedAt: '2025-01-10T12:00:00.000Z',
        submittedOnDailyAt: '2025-02-12T09:30:00.000Z',
        authors: [
          { _id: expect.any(String), name: 'Jane Doe', hidden: false },
          expect.anything(),
          expect.anything(),
          expect.anything(),
        ],
        ai_keywords: [],
        withdrawnAt: null,
      },
    });
    expect(item.thumbnail).toBe('http://paperboy.test/papers/2502.08025/thumbnail.svg');
    expect(item.summary).toBe(item.paper.summary);
    const noSubmitter = body[1];
    expect(noSubmitter.submittedBy).toBeNull();
    for (const date of [item.publishedAt, item.paper.publishedAt, item.paper.submittedOnDailyAt]) {
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });

  it.each([
    ['date=2025-13-40', /date/],
    ['date=yesterday', /date/],
    ['week=2025-W54', /week/],
    ['month=2025-13', /month/],
    ['limit=101', /limit/],
    ['limit=0', /limit/],
    ['limit=abc', /limit/],
    ['limit=1e2', /limit/],
    ['p=-1', /p/],
    ['sort=foo', /sort/],
    ['submitter=%3Cscript%3E', /submitter/],
    ['date=2025-02-12&week=2025-W07', /only one/],
  ])('answers 400 with a JSON error for %s', async (query, message) => {
    const { status, type, body } = await getJson(`/api/daily_papers?${query}`);
    expect(status).toBe(400);
    expect(type).toMatch(/application\/json/);
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatch(message);
  });

  it('never answers 500, whatever the query string', async () => {
    const names = fc.constantFrom('p', 'limit', 'date', 'week', 'month', 'submitter', 'sort', 'q', 'x');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(names, fc.string({ unit: 'binary', maxLength: 40 })), { maxLength: 4 }),
        async (pairs) => {
          const query = new URLSearchParams(pairs).toString();
          const res = await app.request(`/api/daily_papers?${query}`);
          expect([200, 400]).toContain(res.status);
        },
      ),
      { numRuns: 300 },
    );
  });
});
