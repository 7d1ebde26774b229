/**
 * Search as a visitor meets it, on whichever store runs the suite (SQLite's FTS5 or PostgreSQL's tsvector): the
 * same query language, filters, sorts and answers to hostile input on both (vitest.config.ts: ON_BOTH_STORES).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures, seedPapers } from '../../test/helpers/factories.ts';
import { createStoreUnderTest, type StoreUnderTest } from '../../test/helpers/store-under-test.ts';

let store: StoreUnderTest;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createStoreUnderTest();
  app = await createTestApp(store);
  await seedPapers(store, [
    paperRecord({
      id: '2403.00001',
      title: 'Sparse mixture of experts for translation',
      abstract: 'Experts are routed sparsely across languages.',
      authors: ['Noam Shazeer', 'Ada Jones'],
      categories: ['cs.CL'],
      publishedAt: '2024-03-01T00:00:00.000Z',
    }),
    paperRecord({
      id: '2403.00002',
      title: 'Vision experts in a mixture',
      abstract: 'A mixture of experts for image classification.',
      authors: ['Grace Hopper'],
      categories: ['cs.CV'],
      publishedAt: '2023-06-01T00:00:00.000Z',
    }),
    paperRecord({
      id: '2403.00003',
      title: 'Protein folding with diffusion',
      abstract: 'Diffusion models fold proteins; no experts involved.',
      authors: ['Ada Jones'],
      categories: ['q-bio.BM'],
      publishedAt: '2024-05-01T00:00:00.000Z',
    }),
  ]);
  await seedFeatures(store, [
    {
      day: '2024-03-02',
      upvotes: 9,
      submitter: 'alice',
      paper: {
        id: '2403.00004',
        title: 'Experts everywhere',
        abstract: 'Routing tokens to experts at scale.',
        authors: ['Grace Hopper'],
        categories: ['cs.LG'],
        publishedAt: '2024-03-02T00:00:00.000Z',
      },
    },
  ]);
});
afterAll(async () => {
  await store.dispose();
});

async function ids(query: string): Promise<string[]> {
  const res = await app.request(`/api/papers/search?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  const items = (await res.json()) as { paper: { id: string } }[];
  return items.map((item) => item.paper.id);
}

describe(`search on ${process.env.PAPERBOY_TEST_STORE ?? 'sqlite'}`, () => {
  it('finds papers by stemmed words, the title match first', async () => {
    const found = await ids('q=routing');
    expect(found.sort()).toEqual(['2403.00001', '2403.00004']);
    expect((await ids('q=translation'))[0]).toBe('2403.00001');
  });

  it('ranks copies of a paper newest first, on both engines', async () => {
    // the same title and abstract score the same: the later stored comes first, whichever engine ranks
    const copy = (id: string, publishedAt: string) =>
      paperRecord({
        id,
        title: 'Hyperbolic prototypes for ordinal regression',
        abstract: 'Ordinal prototypes placed in hyperbolic space.',
        publishedAt,
      });
    await seedPapers(store, [
      copy('2404.00011', '2024-04-01T00:00:00.000Z'),
      copy('2404.00012', '2024-04-02T00:00:00.000Z'),
      copy('2404.00013', '2024-04-03T00:00:00.000Z'),
    ]);
    expect(await ids('q=hyperbolic+prototypes')).toEqual(['2404.00013', '2404.00012', '2404.00011']);
  });

  it('reads phrases, exclusions, OR, authors, categories and dates', async () => {
    expect((await ids(`q=${encodeURIComponent('"mixture of experts"')}`)).sort()).toEqual([
      '2403.00001',
      '2403.00002',
    ]);
    expect(await ids(`q=${encodeURIComponent('"experts for translation"')}`)).toEqual(['2403.00001']);
    expect((await ids('q=experts+-vision')).sort()).toEqual(['2403.00001', '2403.00003', '2403.00004']);
    expect((await ids('q=proteins+OR+translation')).sort()).toEqual(['2403.00001', '2403.00003']);
    expect((await ids('q=experts+author%3Ajones')).sort()).toEqual(['2403.00001', '2403.00003']);
    expect(await ids('q=experts+cat%3Acs.CV')).toEqual(['2403.00002']);
    expect((await ids('q=experts+cat%3Acs')).sort()).toEqual(['2403.00001', '2403.00002', '2403.00004']);
    expect(await ids('q=experts+year%3A2023')).toEqual(['2403.00002']);
    expect((await ids('q=experts+before%3A2024-03-01')).sort()).toEqual(['2403.00001', '2403.00002']);
  });

  it('sorts by upvotes and date, and filters to the daily list', async () => {
    expect((await ids('q=experts&sort=upvotes'))[0]).toBe('2403.00004');
    expect(await ids('q=experts&sort=date')).toEqual([
      '2403.00003',
      '2403.00004',
      '2403.00001',
      '2403.00002',
    ]);
    expect(await ids('q=experts&featured=1')).toEqual(['2403.00004']);
  });

  it('widens to any word when no paper has them all, and pages through results', async () => {
    expect((await ids('q=proteins+translation')).sort()).toEqual(['2403.00001', '2403.00003']);
    const first = await ids('q=experts&limit=2');
    const second = await ids('q=experts&limit=2&p=1');
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(new Set([...first, ...second]).size).toBe(4);
  });

  it('suggests a spelling when a word finds nothing, keeping the rest of the query as typed', async () => {
    const html = await (await app.request('/papers?q=exprets')).text();
    expect(html).toContain('Did you mean <a href="/papers?q=experts">experts</a>?');
    const widened = await (await app.request('/papers?q=Exprets+translation')).text();
    expect(widened).toContain(
      'Did you mean <a href="/papers?q=experts+translation">experts translation</a>?',
    );
    // a word the papers have, and one no edit can mend, get no suggestion
    expect(await (await app.request('/papers?q=experts')).text()).not.toContain('Did you mean');
    expect(await (await app.request('/papers?q=zzqxv')).text()).not.toContain('Did you mean');
  });

  it('lists similar papers, and 404 for a paper it does not have', async () => {
    const res = await app.request('/api/papers/2403.00002/similar');
    expect(res.status).toBe(200);
    const similar = ((await res.json()) as { paper: { id: string } }[]).map((i) => i.paper.id);
    expect(similar).not.toContain('2403.00002');
    expect(similar).toContain('2403.00001');
    expect((await app.request('/api/papers/2499.99999/similar')).status).toBe(404);
  });

  it('shows the results page with the words marked and escaped', async () => {
    const html = await (await app.request('/papers?q=diffusion')).text();
    expect(html).toContain('<mark>diffusion</mark>');
    expect(html).toContain('Protein folding with');
  });

  it('answers hostile queries with results or a 4xx, never a 500', async () => {
    const hostile = [
      '"',
      "'",
      '\\',
      '!',
      '&|!',
      '(',
      ')',
      ':*',
      'a <-> b',
      '-',
      '--',
      'OR',
      'author:',
      'cat:',
      'year:9999',
      'after:2024-13-45',
      'NEAR(a b)',
      'x'.repeat(249),
      '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      "'; DROP TABLE papers; --",
    ];
    for (const q of hostile) {
      const res = await app.request(`/api/papers/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBeLessThan(500);
      const page = await app.request(`/papers?q=${encodeURIComponent(q)}`);
      expect(page.status, q).toBeLessThan(500);
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (q) => {
        const res = await app.request(`/api/papers/search?q=${encodeURIComponent(q)}`);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect(await ids('q=experts')).toHaveLength(4);
  });

  // last: the paper it adds would change the other tests' answers
  it('keeps similar papers until the data changes, then answers anew', async () => {
    const similar = async () =>
      (
        (await (await app.request('/api/papers/2403.00002/similar')).json()) as { paper: { id: string } }[]
      ).map((i) => i.paper.id);
    const before = await similar();
    expect(await similar()).toEqual(before);
    expect(before).not.toContain('2403.00099');
    await seedPapers(store, [
      paperRecord({
        id: '2403.00099',
        title: 'Vision experts in a mixture, again',
        abstract: 'Mixture of experts.',
      }),
    ]);
    const after = await similar();
    expect(after).toContain('2403.00099');
    expect(after).not.toContain('2403.00002');
  });
});
