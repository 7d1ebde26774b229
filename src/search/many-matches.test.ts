/**
 * A word in more papers than either store ranks at once (PostgreSQL ranks its newest 500 matches,
 * SQLite the newest title matches of a common word in a large collection): sorted by date or upvotes, the page
 * must still be the first of *all* matches in that order, and by relevance the newest matches must be among
 * those ranked. Papers are stored oldest first, so the rows a store reads first are the oldest (on both stores;
 * vitest.config.ts ON_BOTH_STORES).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { seedFeatures } from '../../test/helpers/factories.ts';
import { createStoreUnderTest, type StoreUnderTest } from '../../test/helpers/store-under-test.ts';

const PAPERS = 2_100;

let store: StoreUnderTest;
let app: Awaited<ReturnType<typeof createTestApp>>;
const papers: { id: string; publishedAt: string; upvotes: number }[] = [];

beforeAll(async () => {
  store = await createStoreUnderTest();
  app = await createTestApp(store);
  const start = Date.parse('2020-01-01T00:00:00.000Z');
  for (let from = 0; from < PAPERS; from += 500) {
    const batch = Array.from({ length: Math.min(500, PAPERS - from) }, (_, k) => {
      const i = from + k;
      const last = i === PAPERS - 1;
      const publishedAt = new Date(start + i * 3_600_000).toISOString();
      // the most upvoted are among the last stored, but not in the order they were stored
      const upvotes = ((i * 7919) % 1000) + (i >= 2_000 ? 1000 : 0);
      return {
        day: publishedAt.slice(0, 10),
        upvotes,
        paper: {
          id: `2001.${String(i).padStart(5, '0')}`,
          title: last ? 'Model models: modelling the model' : `Model study number ${i}`,
          abstract: `A model of thing ${i}, with a model of its parts.`,
          publishedAt,
          updatedAt: publishedAt,
        },
      };
    });
    const records = await seedFeatures(store, batch);
    records.forEach((r, k) => {
      papers.push({ id: r.id, publishedAt: r.publishedAt ?? '', upvotes: batch[k]!.upvotes });
    });
  }
}, 120_000);
afterAll(async () => {
  await store.dispose();
});

async function ids(path: string): Promise<string[]> {
  const res = await app.request(path);
  expect(res.status).toBe(200);
  const items = (await res.json()) as { paper: { id: string } }[];
  return items.map((item) => item.paper.id);
}

describe(`a word in all ${PAPERS} papers`, () => {
  it('sorted by date: the newest of all matches, page after page', async () => {
    const newest = [...papers].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)).map((p) => p.id);
    expect(await ids('/api/papers/search?q=model&sort=date&limit=20')).toEqual(newest.slice(0, 20));
    expect(await ids('/api/papers/search?q=model&sort=date&limit=20&p=3')).toEqual(newest.slice(60, 80));
  });

  it('sorted by upvotes: the most upvoted of all matches, newest first among equals', async () => {
    const best = [...papers]
      .sort((a, b) => b.upvotes - a.upvotes || b.publishedAt.localeCompare(a.publishedAt))
      .map((p) => p.id);
    expect(await ids('/api/papers/search?q=model&sort=upvotes&limit=20')).toEqual(best.slice(0, 20));
  });

  it('by relevance: the newest paper, the one about models above all, comes first', async () => {
    const [first] = await ids('/api/papers/search?q=model&limit=5');
    expect(first).toBe(papers.at(-1)!.id);
  });

  it('by relevance, a page deeper than the matches ranked at once still has its papers', async () => {
    const page = await ids('/api/papers/search?q=model&limit=50&p=12');
    expect(page).toHaveLength(50);
    expect(new Set(page).size).toBe(50);
    const known = new Set(papers.map((p) => p.id));
    expect(page.every((id) => known.has(id))).toBe(true);
  });

  it('the search page shows the newest match first when sorted by date', async () => {
    const res = await app.request('/papers?q=model&sort=date');
    expect(res.status).toBe(200);
    const html = await res.text();
    const newest = papers.at(-1)!.id;
    const second = papers.at(-2)!.id;
    expect(html.indexOf(newest)).toBeGreaterThan(-1);
    expect(html.indexOf(newest)).toBeLessThan(html.indexOf(second));
  });
});
