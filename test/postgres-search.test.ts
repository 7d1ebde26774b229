import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../src/db/connect.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { corpusStatsPostgres, countsUpTo } from '../src/search/rank.postgres.ts';
import { DEFAULT_RANKING } from '../src/search/ranking-params.ts';
import { searchPapersPostgres } from '../src/search/search.postgres.ts';
import { NO_FILTERS, type SearchSort } from '../src/search/search.store.ts';
import { seedFeatures } from './helpers/factories.ts';
import { createStoreUnderTest, type StoreUnderTest } from './helpers/store-under-test.ts';

/**
 * PostgreSQL's two steps for the first matches in order (the "postgres" project only): the first `walk` papers in
 * the sort's order checked one by one, then the matches among the rest from the GIN index, sorted. A walk of 30
 * papers over 130 makes both steps run: "alpha" is in the 100 newest papers, "omega" in the 30 oldest only.
 */
let store: StoreUnderTest;
let pg: PostgresStore;
const papers: { id: string; word: string; publishedAt: string | null; upvotes: number; order: number }[] = [];

beforeAll(async () => {
  store = await createStoreUnderTest();
  if (store.dialect !== 'postgres') throw new Error('this file runs in the postgres project only');
  pg = store;
  const seeds = Array.from({ length: 130 }, (_, i) => {
    const word = i < 30 ? 'omega' : 'alpha';
    // two old papers without a date: they come last when sorted by date
    const publishedAt =
      i === 3 || i === 7 ? null : new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString();
    const upvotes = (i * 37) % 11;
    papers.push({ id: `2403.${String(20_000 + i)}`, word, publishedAt, upvotes, order: i });
    return {
      day: '2024-06-01',
      upvotes,
      paper: {
        id: `2403.${String(20_000 + i)}`,
        title: `The ${word} study number ${i}`,
        // sigma: in every seventh paper, so a small look at the newest finds it rarely; kappa: in the 5 newest
        // and the 10 oldest, so the look promises more than the walk then holds
        abstract: `About ${word}, study ${i}.${i % 7 === 0 ? ' With sigma.' : ''}${i >= 125 || i < 10 ? ' Also kappa.' : ''}`,
        publishedAt,
        updatedAt: publishedAt,
      },
    };
  });
  await seedFeatures(store, seeds);
});
afterAll(async () => {
  await store.dispose();
});

async function search(q: string, sort: SearchSort, limit = 50, steps = { walk: 30, probe: 30 }) {
  const result = await searchPapersPostgres(pg, {
    query: parseQuery(q),
    filters: NO_FILTERS,
    sort,
    offset: 0,
    limit,
    ...steps,
    // every word counts as common here (more papers than the budget): candidates are the 40 newest matches
    ranking: { ...DEFAULT_RANKING, exactBudget: 10, newest: 40 },
  });
  return { ...result, ids: result.hits.map((h) => h.paper.id) };
}

/** Newest first, papers without a date last (stored in order, so the later stored is the newer among equals). */
const byDate = (a: (typeof papers)[number], b: (typeof papers)[number]) =>
  (a.publishedAt === null ? 1 : 0) - (b.publishedAt === null ? 1 : 0) ||
  (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') ||
  b.order - a.order;

describe('the first matches on PostgreSQL, past the walk', () => {
  it('sorted by date: from the walk when it holds the page, from the index when it does not', async () => {
    const alpha = papers.filter((p) => p.word === 'alpha').sort(byDate);
    expect((await search('alpha', 'date', 20)).ids).toEqual(alpha.slice(0, 20).map((p) => p.id));
    const omega = papers.filter((p) => p.word === 'omega').sort(byDate);
    const found = await search('omega', 'date');
    expect(found.ids).toEqual(omega.map((p) => p.id));
    expect(found.ids.slice(-2)).toEqual(['2403.20007', '2403.20003']);
  });

  it('the look before the walk changes the way, never the page (by date and by relevance)', async () => {
    // probe 10 of walk 60: alpha fills the probe, sigma is 1 in 10 (the walk, or straight to the index, by the
    // page's size), kappa is 5 in 10 but no more in the walk (walked, then the index), omega is in none of the
    // newest (straight to the index)
    const has = (word: string, p: (typeof papers)[number]) =>
      word === 'sigma'
        ? p.order % 7 === 0
        : word === 'kappa'
          ? p.order >= 125 || p.order < 10
          : p.word === word;
    const expected = (word: string, limit: number) =>
      papers
        .filter((p) => has(word, p))
        .sort(byDate)
        .slice(0, limit)
        .map((p) => p.id);
    for (const steps of [
      { walk: 60, probe: 10 },
      { walk: 60, probe: 60 },
      { walk: 200, probe: 7 },
    ])
      for (const word of ['alpha', 'sigma', 'kappa', 'omega'])
        for (const limit of [3, 8, 25]) {
          const found = await search(word, 'date', limit, steps);
          expect(found.ids, `${word}, page of ${limit}, ${JSON.stringify(steps)}`).toEqual(
            expected(word, limit),
          );
          // by relevance the candidates are the newest matches: the same with a look first as without one
          const ranked = await search(word, 'relevance', limit, steps);
          const unprobed = await search(word, 'relevance', limit, { walk: steps.walk, probe: steps.walk });
          expect(ranked.ids, `${word} by relevance, ${JSON.stringify(steps)}`).toEqual(unprobed.ids);
          expect(ranked.ids.length).toBe(Math.min(limit, papers.filter((p) => has(word, p)).length));
        }
  });

  it('sorted by upvotes: the same order as the index would give', async () => {
    const omega = papers
      .filter((p) => p.word === 'omega')
      .sort((a, b) => b.upvotes - a.upvotes || b.order - a.order)
      .map((p) => p.id);
    expect((await search('omega', 'upvotes')).ids).toEqual(omega);
  });

  it('by relevance: the newest matches, or the older ones when the walk finds none', async () => {
    // 40 candidates (30 from the walk, 10 more from the index), a page of 39 of them: the newest alpha papers
    const alpha = await search('alpha', 'relevance', 39);
    const newest40 = new Set(
      papers
        .filter((p) => p.word === 'alpha')
        .slice(-40)
        .map((p) => p.id),
    );
    expect(alpha.ids).toHaveLength(39);
    expect(alpha.ids.every((id) => newest40.has(id))).toBe(true);
    const omega = await search('omega', 'relevance');
    expect(new Set(omega.ids)).toEqual(new Set(papers.filter((p) => p.word === 'omega').map((p) => p.id)));
    // past the walk the title index answers; an exclusion must still hold there (it is not in the titles' index)
    const withoutSigma = await search('omega -sigma', 'relevance');
    expect(new Set(withoutSigma.ids)).toEqual(
      new Set(papers.filter((p) => p.word === 'omega' && p.order % 7 !== 0).map((p) => p.id)),
    );
  });

  it('made-up words match nothing: two are widened to any word, six match any from the start (as on SQLite)', async () => {
    const two = await search('qwrtzpx mnbvcxl', 'relevance');
    expect(two.ids).toEqual([]);
    expect(two.widened).toBe(true);
    const six = await search('qwrtzpx mnbvcxl plokijuh zxcvbnmq asdfghjk poiuytre', 'relevance');
    expect(six.ids).toEqual([]);
    expect(six.widened).toBe(false);
    const oneKnown = await search('qwrtzpx mnbvcxl plokijuh zxcvbnmq asdfghjk omega', 'relevance');
    expect(oneKnown.ids).toHaveLength(30);
    expect(oneKnown.widened).toBe(false);
  });

  it("counts a term's papers up to a limit, and past it estimates from how far the count got", async () => {
    const terms = ['sigma', 'omega', 'alpha'].map((word) => ({ term: word, word }));
    const exact = await countsUpTo(pg, terms, 130, 200);
    expect(Object.fromEntries(exact)).toEqual({ sigma: 19, omega: 30, alpha: 100 });
    const estimated = await countsUpTo(pg, terms, 130, 5);
    // sigma is spread evenly (every seventh paper): its estimate is near the truth
    expect(Math.abs(estimated.get('sigma')! - 19)).toBeLessThanOrEqual(5);
    // omega is all in the oldest 30: the first 5 are reached early, so the estimate is high, but never past all
    expect(estimated.get('omega')!).toBeGreaterThan(30);
    expect(estimated.get('omega')!).toBeLessThanOrEqual(130);
    // alpha is in the newest 100 only: estimated low (the skew the estimate accepts), still past the limit
    expect(estimated.get('alpha')!).toBeGreaterThanOrEqual(5);
    expect(estimated.get('alpha')!).toBeLessThan(100);
  });

  it('makes the corpus statistics once for searches that arrive together', async () => {
    // a store seen for the first time, whose data version reads are counted: one refresh answers all ten
    let reads = 0;
    const fresh: PostgresStore = Object.create(pg, {
      dataVersion: {
        value: () => {
          reads++;
          return pg.dataVersion();
        },
      },
    });
    const terms = [{ term: 'omega', word: 'omega' }];
    const all = await Promise.all(Array.from({ length: 10 }, () => corpusStatsPostgres(fresh, terms)));
    expect(reads).toBe(1);
    expect(all.map((s) => s.docs)).toEqual(Array(10).fill(130));
    expect(all.map((s) => s.df.get('omega'))).toEqual(Array(10).fill(30));
  });
});
