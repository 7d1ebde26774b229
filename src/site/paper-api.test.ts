import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures, seedPapers } from '../../test/helpers/factories.ts';
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
    {
      day: '2025-02-12',
      upvotes: 42,
      submittedAt: '2025-02-12T09:30:00.000Z',
      paper: {
        id: '2502.08025',
        title: 'A *starred* [title]',
        githubRepo: 'https://github.com/org/repo',
        projectPage: 'https://org.github.io/repo/',
        comments: '12 pages',
      },
    },
  ]);
  await seedPapers(store, [
    paperRecord({ id: 'hep-th/9901001', title: 'Old style', categories: ['hep-th'] }),
  ]);
});
afterAll(async () => {
  await store.dispose();
});

describe('GET /api/papers/{id}', () => {
  it('answers the flat paper object', async () => {
    const res = await app.request('/api/papers/2502.08025');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: '2502.08025',
      title: 'A *starred* [title]',
      upvotes: 42,
      numComments: 0,
      submittedOnDailyAt: '2025-02-12T09:30:00.000Z',
      submittedOnDailyBy: { user: 'akhaliq', type: 'user' },
      githubRepo: 'https://github.com/org/repo',
      projectPage: 'https://org.github.io/repo/',
      linkedModels: [],
      numTotalModels: 0,
      linkedDatasets: [],
      numTotalDatasets: 0,
      linkedSpaces: [],
      numTotalSpaces: 0,
    });
    for (const key of [
      'authors',
      'publishedAt',
      'summary',
      'discussionId',
      'githubStars',
      'ai_summary',
      'ai_keywords',
      'withdrawnAt',
    ]) {
      expect(body).toHaveProperty(key);
    }
  });

  it('finds old-style ids and papers that were never featured', async () => {
    const res = await app.request('/api/papers/hep-th/9901001');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: 'hep-th/9901001',
      submittedOnDailyAt: null,
      submittedOnDailyBy: null,
    });
  });

  it('answers 404 for an unknown paper and 400 for what is not an id', async () => {
    const missing = await app.request('/api/papers/2401.99999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'paper 2401.99999 not found' });
    for (const bad of ['abc', '2313.00001', "1'%20OR%201=1", '%00']) {
      const res = await app.request(`/api/papers/${bad}`);
      expect(res.status).toBe(400);
      expect(Object.keys((await res.json()) as object)).toEqual(['error']);
    }
    const unknown = await app.request('/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toHaveProperty('error');
  });
});

describe('GET /papers/{id}.md', () => {
  it('answers markdown of the paper page with markup in the title escaped', async () => {
    const res = await app.request('/papers/2502.08025.md');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = await res.text();
    expect(text.startsWith('# A \\*starred\\* \\[title\\]\n')).toBe(true);
    expect(text).toContain('**Authors:** Jane Doe, John Roe, Ada Lovelace, Alan Turing');
    expect(text).toContain('- **arXiv:** <https://arxiv.org/abs/2502.08025>');
    expect(text).toContain('- **Code:** <https://github.com/org/repo>');
    expect(text).toContain('- **Featured:** 2025-02-12 by akhaliq');
    expect(text).toContain('## Abstract');
    expect(text).toContain('## Comments\n\n12 pages');
  });

  it('answers 404 for an unknown paper and redirects versioned ids', async () => {
    expect((await app.request('/papers/2401.99999.md')).status).toBe(404);
    const res = await app.request('/papers/2502.08025v3.md');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/papers/2502.08025.md');
  });
});
