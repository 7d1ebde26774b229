import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures, seedPapers } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store);
  await seedPapers(store, [
    paperRecord({
      id: '2401.00001',
      title: 'Aligning language models with human preferences',
      abstract: 'We study alignment of models.',
      authors: ['Ada Lovelace', 'Alan Turing'],
      categories: ['cs.CL'],
      publishedAt: '2024-03-01T00:00:00.000Z',
    }),
    paperRecord({
      id: '2301.00002',
      title: 'Sparse mixture of experts',
      abstract: 'Experts are routed sparsely. Alignment is not studied.',
      authors: ['Noam Shazeer'],
      categories: ['cs.LG'],
      publishedAt: '2023-01-05T00:00:00.000Z',
    }),
    paperRecord({
      id: '2201.00003',
      title: '<b>Bold</b> claims about alignment',
      abstract: 'An <i>abstract</i> with tags.',
      categories: ['cs.AI'],
      publishedAt: '2022-06-01T00:00:00.000Z',
    }),
    paperRecord({ id: '2201.00004', title: 'A hidden paper about alignment', abstract: 'Alignment.' }),
    // 25 papers on one topic, for the pages
    ...Array.from({ length: 25 }, (_, i) =>
      paperRecord({
        id: `2402.${String(100 + i).padStart(5, '0')}`,
        title: `Protein folding study ${i}`,
        abstract: `Protein structure prediction, part ${i}.`,
        publishedAt: `2024-02-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00.000Z`,
      }),
    ),
  ]);
  await seedFeatures(store, [
    {
      day: '2024-03-02',
      upvotes: 42,
      paper: { id: '2403.00005', title: 'Featured alignment paper', abstract: 'Alignment, featured.' },
    },
  ]);
  store.sqlite.prepare("UPDATE papers SET hidden_at = '2025-01-01' WHERE id = '2201.00004'").run();
});
afterAll(async () => {
  await store.dispose();
});

const titles = (html: string) =>
  [...html.matchAll(/<h3><a href="[^"]+">(.*?)<\/a><\/h3>/g)].map((m) => m[1]!);
const plain = (html: string) => titles(html).map((t) => t.replace(/<\/?mark>/g, ''));
const page = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, html: await res.text(), res };
};

describe('/papers?q=', () => {
  it('finds papers by stemmed words, title matches first, with the words marked', async () => {
    const { status, html } = await page('/papers?q=aligning');
    expect(status).toBe(200);
    const found = titles(html);
    // both have the word in the title; the shorter title first
    expect(found.slice(0, 2)).toEqual([
      'Featured <mark>alignment</mark> paper',
      '<mark>Aligning</mark> language models with human preferences',
    ]);
    expect(found).toHaveLength(4);
    expect(html).toContain('featured <time datetime="2024-03-02"');
  });

  it('never shows hidden papers', async () => {
    expect((await page('/papers?q=hidden')).html).not.toContain('A hidden paper');
    const api = (await (await app.request('/api/papers/search?q=alignment')).json()) as {
      paper: { id: string };
    }[];
    expect(api.map((i) => i.paper.id)).not.toContain('2201.00004');
  });

  it('escapes the text around the marks', async () => {
    const { html } = await page('/papers?q=bold');
    expect(html).toContain('&lt;b&gt;<mark>Bold</mark>&lt;/b&gt; claims about alignment');
    expect(html).not.toContain('<b>Bold');
    expect(html).not.toContain('<i>abstract');
  });

  it('widens to any word when no paper has all, suggests a spelling, and says when nothing matches', async () => {
    const widened = await page('/papers?q=sparse+preferences');
    expect(titles(widened.html)).toHaveLength(2);
    expect(widened.html).toContain('No paper has all the words');
    const misspelt = await page('/papers?q=alignmnet');
    expect(misspelt.html).toContain('Did you mean <a href="/papers?q=alignment">alignment</a>?');
    expect((await page('/papers?q=quantum+chromodynamics')).html).toContain('No paper matches');
  });

  it('reads the query language: phrases, exclusions, OR, author:, cat:, year:', async () => {
    expect(titles((await page('/papers?q=%22mixture+of+experts%22')).html)).toEqual([
      // the words of a phrase are marked one by one
      'Sparse <mark>mixture</mark> <mark>of</mark> <mark>experts</mark>',
    ]);
    expect(titles((await page('/papers?q=alignment+-sparse+-featured+-bold')).html)).toHaveLength(1);
    expect(titles((await page('/papers?q=bold+OR+sparse')).html)).toHaveLength(2);
    expect(titles((await page('/papers?q=author%3Ashazeer')).html)).toEqual(['Sparse mixture of experts']);
    // the featured paper is in cs.CL and cs.AI; 2201.00003 in cs.AI
    expect(titles((await page('/papers?q=alignment+cat%3Acs.AI')).html)).toHaveLength(2);
    expect(titles((await page('/papers?q=alignment+year%3A2024')).html)).toEqual([
      '<mark>Aligning</mark> language models with human preferences',
    ]);
  });

  it('filters by category, dates and featured, and sorts by date or upvotes', async () => {
    expect(titles((await page('/papers?q=alignment&cat=cs.LG')).html)).toEqual(['Sparse mixture of experts']);
    expect(titles((await page('/papers?q=alignment&after=2023-01-01&before=2023-12-31')).html)).toEqual([
      'Sparse mixture of experts',
    ]);
    expect(plain((await page('/papers?q=alignment&featured=1')).html)).toEqual(['Featured alignment paper']);
    const byDate = plain((await page('/papers?q=alignment&sort=date')).html);
    expect(byDate[0]).toBe('Featured alignment paper');
    expect(byDate.at(-1)).toContain('Bold');
    expect(plain((await page('/papers?q=alignment&sort=upvotes')).html)[0]).toBe('Featured alignment paper');
  });

  it('pages through results with previous and next links', async () => {
    const first = await page('/papers?q=protein');
    expect(titles(first.html)).toHaveLength(20);
    expect(first.html).toContain('href="/papers?q=protein&amp;page=2"');
    const second = await page('/papers?q=protein&page=2');
    expect(titles(second.html)).toHaveLength(5);
    expect(second.html).toContain('← Previous');
    expect(new Set([...titles(first.html), ...titles(second.html)]).size).toBe(25);
  });

  it('answers 400 with a message for a bad filter or an over-long query', async () => {
    for (const path of [
      '/papers?q=x&sort=best',
      '/papers?q=x&after=2024-13-01',
      '/papers?q=x&cat=%3Cscript%3E',
    ]) {
      const { status, html } = await page(path);
      expect(status).toBe(400);
      expect(html).toContain('role="alert"');
    }
    const long = await page(`/papers?q=${'a'.repeat(300)}`);
    expect(long.status).toBe(400);
    expect(long.html).toContain('longer than 250 characters');
  });

  it('shows a member their own vote state on results', async () => {
    const client = new TestClient(app);
    await client.signUp('searcher');
    const vote = await client.post('/papers/2401.00001/upvote', { next: '/papers?q=aligning' });
    expect(vote.status).toBe(303);
    const { html } = await client.page('/papers?q=aligning');
    expect(html).toMatch(/class="votes upvoted"/);
    expect(html).toContain('action="/papers/2401.00001/unvote"');
  });

  it('answers the header box live (htmx) with the results alone and the address to show', async () => {
    const res = await app.request('/search/live?q=protein', { headers: { 'hx-request': 'true' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('hx-push-url')).toBe('/papers?q=protein');
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('<div id="search-results">');
    const header = (await page('/')).html;
    expect(header).toContain('hx-get="/search/live"');
    expect(header).toContain('action="/papers"');
  });
});

describe('any input, through HTTP', () => {
  const syntax = fc.constantFrom(
    '"',
    '(',
    ')',
    '*',
    '^',
    ':',
    '-',
    'NEAR',
    'OR',
    'AND',
    'NOT',
    '{',
    '}',
    ' ',
    '\\',
    "'",
  );
  const piece = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 16 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    syntax,
    fc.constantFrom('author:', 'cat:', 'year:', 'after:', 'before:', 'title:', '-"'),
  );
  const query = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));

  it('answers every query with 200 or 400, never a 500 or a database error (page, live box, API)', async () => {
    await fc.assert(
      fc.asyncProperty(
        query,
        fc.constantFrom('/papers', '/search/live', '/api/papers/search'),
        async (q, path) => {
          const res = await app.request(`${path}?q=${encodeURIComponent(q)}`);
          expect([200, 400]).toContain(res.status);
          if (path.startsWith('/api/')) {
            const body = (await res.json()) as unknown;
            if (res.status === 400) expect(body).toHaveProperty('error');
            else expect(Array.isArray(body)).toBe(true);
          } else await res.text();
        },
      ),
      { numRuns: 2500 },
    );
  });

  it('answers 400 for 10 KB queries and 200 for the longest allowed ones', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 10_000, maxLength: 10_240 }), async (q) => {
        for (const path of ['/papers', '/api/papers/search']) {
          const res = await app.request(`${path}?q=${encodeURIComponent(q)}`);
          expect(res.status).toBe(400);
        }
      }),
      { numRuns: 50 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme-ascii', minLength: 200, maxLength: 250 }), async (q) => {
        expect((await app.request(`/api/papers/search?q=${encodeURIComponent(q)}`)).status).toBe(200);
      }),
      { numRuns: 100 },
    );
  });
});
