import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures, seedPapers } from '../../test/helpers/factories.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { MARK_END, MARK_START } from '../papers/marks.ts';
import { markedHtml } from './search-api.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store);
  await seedPapers(store, [
    paperRecord({
      id: '2402.00001',
      title: 'Graph neural networks for molecules',
      abstract: 'Message passing on <molecular> graphs & more.',
    }),
    paperRecord({
      id: '2402.00002',
      title: 'Molecular property prediction',
      abstract: 'Graph networks predict molecular properties.',
    }),
    paperRecord({
      id: '2402.00003',
      title: 'Protein language models',
      abstract: 'Transformers over amino acid sequences.',
    }),
    paperRecord({
      id: '2402.00004',
      title: 'Molecule generation with diffusion on graphs',
      abstract: 'Diffusion models generate molecular graphs.',
    }),
  ]);
  await seedFeatures(store, [
    {
      day: '2024-05-01',
      upvotes: 7,
      submitter: 'alice',
      paper: { id: '2405.00005', title: 'Graph transformers', abstract: 'Attention on graphs.' },
    },
  ]);
});
afterAll(async () => {
  await store.dispose();
});

type Item = Record<string, unknown> & { paper: Record<string, unknown> };
const get = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as unknown, res };
};

describe('markedHtml', () => {
  it('escapes everything but its own marks, even marks left unclosed or stray', () => {
    const text = `<img src=x onerror="a('b')"> & ${MARK_START}<b>${MARK_END} ${MARK_END}x ${MARK_START}"y`;
    expect(markedHtml(text)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; <mark>&lt;b&gt;</mark> x &quot;y',
    );
  });
});

describe('GET /api/papers/search', () => {
  it('answers daily items, best first, with highlighted title and summary as escaped HTML', async () => {
    const { status, body, res } = await get('/api/papers/search?q=molecular+graphs&limit=10');
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const items = body as Item[];
    expect(items.length).toBeGreaterThanOrEqual(2);
    const first = items.find((i) => i.paper.id === '2402.00001')!;
    expect(first.title).toBe('Graph neural networks for molecules');
    expect(first.summary).toBe('Message passing on <molecular> graphs & more.');
    expect(first.highlightedSummary).toBe(
      'Message passing on &lt;<mark>molecular</mark>&gt; <mark>graphs</mark> &amp; more.',
    );
    expect(first.highlightedTitle).toBe('<mark>Graph</mark> neural networks for molecules');
    for (const key of [
      'publishedAt',
      'thumbnail',
      'numComments',
      'submittedBy',
      'upvotes',
      'ai_keywords',
      'githubRepo',
    ]) {
      expect(first).toHaveProperty(key);
    }
    expect(first.paper).toMatchObject({ id: '2402.00001', upvotes: 0, discussionId: 'd-2402.00001' });
  });

  it('gives featured papers their feature: day, submitter, upvotes at both levels', async () => {
    const items = (await get('/api/papers/search?q=graph+transformers')).body as Item[];
    const featured = items.find((i) => i.paper.id === '2405.00005')!;
    expect(featured.publishedAt).toBe('2024-05-01T09:00:00.000Z');
    expect(featured.upvotes).toBe(7);
    expect(featured.paper.upvotes).toBe(7);
    expect(featured.submittedBy).toMatchObject({ user: 'alice' });
  });

  it('limits, pages and sorts; an empty query is an empty list', async () => {
    expect(((await get('/api/papers/search?q=graphs&limit=1')).body as Item[]).length).toBe(1);
    const p1 = (await get('/api/papers/search?q=graphs&limit=1&p=1')).body as Item[];
    const p0 = (await get('/api/papers/search?q=graphs&limit=1&p=0')).body as Item[];
    expect(p1[0]!.paper.id).not.toBe(p0[0]!.paper.id);
    expect(((await get('/api/papers/search?q=graphs&sort=upvotes')).body as Item[])[0]).toMatchObject({
      upvotes: 7,
    });
    expect((await get('/api/papers/search?q=')).body).toEqual([]);
    expect((await get('/api/papers/search')).body).toEqual([]);
  });

  it('answers 400 with {"error"} for bad parameters', async () => {
    for (const path of [
      '/api/papers/search?q=x&limit=0',
      '/api/papers/search?q=x&limit=121',
      '/api/papers/search?q=x&limit=ten',
      '/api/papers/search?q=x&sort=best',
      '/api/papers/search?q=x&after=2024-02-30',
      `/api/papers/search?q=${'x'.repeat(251)}`,
      '/api/papers/search?q=x&p=1001',
      // no deeper than 1,000 results: 8 × 120 and 20 × the default 50 are past it
      '/api/papers/search?q=x&p=8&limit=120',
      '/api/papers/search?q=x&p=20',
      '/api/papers/search?q=x&p=-1',
    ]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body).toEqual({ error: expect.any(String) });
    }
  });

  it('goes 1,000 results deep: the last page inside answers, the first outside is refused with the reason', async () => {
    expect((await get('/api/papers/search?q=graphs&p=7&limit=120')).status).toBe(200);
    expect((await get('/api/papers/search?q=graphs&p=19')).status).toBe(200);
    const { status, body } = await get('/api/papers/search?q=graphs&p=20&limit=50');
    expect(status).toBe(400);
    expect(body).toEqual({ error: expect.stringContaining('1000 results deep') });
  });

  it('is not taken for an arXiv id by the paper API', async () => {
    expect((await get('/api/papers/2402.00001')).body).toMatchObject({ id: '2402.00001' });
    expect((await get('/api/papers/search?q=protein')).status).toBe(200);
  });
});

describe('similar papers', () => {
  it('GET /api/papers/{id}/similar: papers sharing its telling words, not itself', async () => {
    const { status, body } = await get('/api/papers/2402.00001/similar?limit=3');
    expect(status).toBe(200);
    const ids = (body as Item[]).map((i) => i.paper.id);
    expect(ids).not.toContain('2402.00001');
    expect(ids.slice(0, 2).sort()).toEqual(['2402.00002', '2402.00004']);
    expect(ids).not.toContain('2402.00003');
  });

  it('answers 404 for an unknown or hidden paper and 400 for a bad limit', async () => {
    expect((await get('/api/papers/2402.09999/similar')).status).toBe(404);
    expect((await get('/api/papers/2402.00001/similar?limit=0')).status).toBe(400);
    store.sqlite.prepare("UPDATE papers SET hidden_at = '2025-01-01' WHERE id = '2402.00003'").run();
    expect((await get('/api/papers/2402.00003/similar')).status).toBe(404);
    store.sqlite.prepare("UPDATE papers SET hidden_at = NULL WHERE id = '2402.00003'").run();
  });

  it('are listed on the paper page', async () => {
    const html = await (await app.request('/papers/2402.00001')).text();
    expect(html).toContain('<h2>Similar papers</h2>');
    expect(html).toContain('href="/papers/2402.00002"');
  });
});

describe('sorting by date and upvotes', () => {
  it('gives the same pages walking papers in order (large collections) as sorting every match', async () => {
    const { parseQuery } = await import('../search/query-parse.ts');
    const { DEFAULT_RANKING, searchPapers } = await import('../search/search.sqlite.ts');
    const { NO_FILTERS } = await import('../search/search.store.ts');
    for (const q of [
      'graphs',
      'molecular OR protein',
      'graph transformers',
      'nothing-matches-this',
      // the walk asks FTS5 about each paper for what the text check cannot tell
      '"graph transformers"',
      'graphs -molecular',
      'author:smith',
      'cat:cs',
      'cat:cs graphs',
      'graphs OR protein OR molecular OR transformers OR learning',
    ]) {
      for (const sort of ['date', 'upvotes'] as const) {
        const page = (scanSortFrom: number, offset: number) =>
          searchPapers(store, {
            query: parseQuery(q),
            filters: NO_FILTERS,
            sort,
            offset,
            limit: 2,
            ranking: { ...DEFAULT_RANKING, scanSortFrom },
          }).hits.map((h) => h.paper.id);
        for (const offset of [0, 2])
          expect(page(0, offset), `${q} ${sort} ${offset}`).toEqual(page(1e12, offset));
      }
    }
  });
});
