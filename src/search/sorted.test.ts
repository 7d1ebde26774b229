/**
 * Results by date and upvotes (sorted.sqlite.ts): walking the papers in order, with the text check for plain
 * words and FTS5 asked row by row for everything else, gives exactly the pages that sorting every match gives.
 * `walkFrom` 0 walks whenever it may; Infinity never does. More papers than one chunk of the walk (256).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperRecord, seedFeatures, seedPapers } from '../../test/helpers/factories.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { ftsMatch } from './fts5.sqlite.ts';
import { parseQuery } from './query-parse.ts';
import { searchPapers } from './search.sqlite.ts';
import { NO_FILTERS } from './search.store.ts';
import { featuredMatches, type SortOrder, sortedKeys } from './sorted.sqlite.ts';

let store: TestStore;
const PAPERS = 700;

beforeAll(async () => {
  store = await createTestStore();
  const records = Array.from({ length: PAPERS }, (_, i) =>
    paperRecord({
      title: i % 3 === 0 ? `Graph transformers for task ${i}` : `Protein models, study ${i}`,
      abstract:
        i % 5 === 0
          ? 'Sparse mixture of experts on graphs.'
          : i % 7 === 0
            ? 'Experts mixture, sparse, without graphs.'
            : 'A study of language.',
      authors: i % 4 === 0 ? ['Wei Wang', 'Ada Lovelace'] : i % 50 === 0 ? ['Alan Turing'] : ['Jane Doe'],
      categories: i % 2 === 0 ? ['cs.CL'] : i % 9 === 0 ? ['math.OC', 'cs.LG'] : ['cs.CV'],
      // dates out of arrival order, with ties
      publishedAt: `2024-${String(1 + ((i * 7) % 12)).padStart(2, '0')}-${String(1 + ((i * 13) % 28)).padStart(2, '0')}T00:00:00.000Z`,
    }),
  );
  await seedPapers(store, records);
  // one paper in eleven on a daily list
  await seedFeatures(
    store,
    records
      .filter((_, i) => i % 11 === 0)
      .map((paper, i) => ({ day: `2024-06-${String(1 + (i % 28)).padStart(2, '0')}`, upvotes: i, paper })),
  );
  store.sqlite.prepare('UPDATE papers SET upvotes = (pk * 37) % 101').run();
  store.sqlite.prepare('UPDATE papers SET hidden_at = ? WHERE pk % 97 = 0').run('2025-01-01');
});
afterAll(async () => {
  await store.dispose();
});

function keys(
  q: string,
  sort: SortOrder,
  walkFrom: number,
  offset: number,
  mode: 'all' | 'any' = 'all',
  extraCategories: string[][] = [],
) {
  const query = parseQuery(q);
  const match = ftsMatch(query, mode, extraCategories);
  if (!match) throw new Error(`no MATCH for ${q}`);
  return sortedKeys(
    store,
    query,
    { match, mode, extraCategories, where: [], params: [], featured: false },
    sort,
    walkFrom,
    offset,
    20,
  );
}

const ORDERS = { date: 'p.published_at DESC, p.pk DESC', upvotes: 'p.upvotes DESC, p.pk DESC' };

/** The page as SQL gives it: every match looked up in `papers` and sorted there. */
function sortedBySql(
  q: string,
  sort: SortOrder,
  offset: number,
  mode: 'all' | 'any' = 'all',
  bounds: string[] = [],
  params: unknown[] = [],
) {
  return store.sqlite
    .prepare(
      `SELECT papers_fts.rowid FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
       WHERE ${['papers_fts MATCH ?', ...bounds].join(' AND ')} AND p.hidden_at IS NULL
       ORDER BY ${ORDERS[sort]} LIMIT 20 OFFSET ?`,
    )
    .pluck()
    .all(ftsMatch(parseQuery(q), mode), ...params, offset) as number[];
}

describe('sorted search', () => {
  it('walks to the same pages as sorting every match, for words, phrases, exclusions, authors and categories', () => {
    const queries = [
      'graph',
      'graph transformers',
      'protein OR experts',
      '"mixture of experts"',
      '"experts mixture"',
      'experts -graphs',
      'author:wang',
      'author:"wei wang" graph',
      'author:turing',
      'cat:cs.CL',
      'cat:cs protein',
      'cat:math',
      'nothing-matches-this',
    ];
    // every paper of "experts" mentions graphs
    const EMPTY = new Set(['experts -graphs', 'nothing-matches-this']);
    for (const q of queries)
      for (const sort of ['date', 'upvotes'] as const)
        for (const offset of [0, 20, 260]) {
          const sorted = sortedBySql(q, sort, offset);
          if (offset === 0 && !EMPTY.has(q)) expect(sorted.length, q).toBeGreaterThan(0);
          // walkFrom Infinity: no text walk, so FTS5's matches as a set, or (few) looked up
          expect(keys(q, sort, Number.POSITIVE_INFINITY, offset), `${q} ${sort} ${offset}`).toEqual(sorted);
          expect(keys(q, sort, 0, offset), `${q} ${sort} ${offset}`).toEqual(sorted);
        }
  });

  it('keeps any group in any mode, as the MATCH does', () => {
    for (const q of ['graph sparse language protein turing', 'graph -sparse language']) {
      for (const sort of ['date', 'upvotes'] as const) {
        const sorted = sortedBySql(q, sort, 0, 'any');
        expect(sorted.length).toBe(20);
        expect(keys(q, sort, Number.POSITIVE_INFINITY, 0, 'any'), `${q} ${sort}`).toEqual(sorted);
        expect(keys(q, sort, 0, 0, 'any'), `${q} ${sort}`).toEqual(sorted);
      }
    }
  });

  it('keeps to date bounds, walking the date index as well as looking matches up', () => {
    const bounds = ['p.published_at >= ?', 'p.published_at <= ?'];
    const params = ['2024-03-01', '2024-09-30T23:59:59.999Z'];
    for (const q of ['graph', 'protein OR experts', 'author:wang', 'cat:cs.CL']) {
      const match = ftsMatch(parseQuery(q), 'all')!;
      const expected = sortedBySql(q, 'date', 20, 'all', bounds, params);
      expect(expected.length, q).toBe(20);
      for (const walkFrom of [0, Number.POSITIVE_INFINITY]) {
        const got = sortedKeys(
          store,
          parseQuery(q),
          { match, mode: 'all', extraCategories: [], where: bounds, params, featured: false },
          'date',
          walkFrom,
          20,
          20,
        );
        expect(got, `${q} ${walkFrom}`).toEqual(expected);
      }
    }
  });

  it("keeps to the filter form's category, with plain words too", () => {
    for (const q of ['graph', 'protein OR sparse', 'author:wang'])
      for (const sort of ['date', 'upvotes'] as const) {
        const sorted = keys(q, sort, Number.POSITIVE_INFINITY, 0, 'all', [['cs', 'cl']]);
        expect(sorted.length, q).toBeGreaterThan(0);
        expect(keys(q, sort, 0, 0, 'all', [['cs', 'cl']]), `${q} ${sort}`).toEqual(sorted);
      }
  });

  it('"featured only" checks the few featured papers and finds what the index finds, in order', () => {
    for (const q of [
      'graph',
      '"mixture of experts"',
      'sparse -transformers',
      'author:wang',
      'cat:cs.CL protein',
    ]) {
      const query = parseQuery(q);
      const match = ftsMatch(query, 'all')!;
      const plan = {
        match,
        mode: 'all' as const,
        extraCategories: [],
        where: [],
        params: [],
        featured: true,
      };
      for (const sort of ['date', 'upvotes'] as const) {
        const expected = store.sqlite
          .prepare(
            `SELECT papers_fts.rowid FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
             JOIN features ft ON ft.paper_id = p.id WHERE papers_fts MATCH ? AND p.hidden_at IS NULL
             ORDER BY ${ORDERS[sort]}`,
          )
          .pluck()
          .all(match) as number[];
        expect(expected.length, q).toBeGreaterThan(0);
        expect(featuredMatches(store, query, plan, sort), `${q} ${sort}`).toEqual(expected);
      }
      const hits = searchPapers(store, {
        query,
        filters: { ...NO_FILTERS, featuredOnly: true },
        sort: 'relevance',
        offset: 0,
        limit: 100,
      }).hits;
      expect(hits.length, q).toBeGreaterThan(0);
      expect(hits.every((h) => h.featuredDay !== null)).toBe(true);
      expect(hits.map((h) => h.pk).sort()).toEqual(featuredMatches(store, query, plan, 'date')!.sort());
    }
  });

  it('finds the right papers, newest first: an author, never a hidden paper', () => {
    const expected = (
      store.sqlite
        .prepare(
          `SELECT pk FROM papers WHERE authors LIKE '%Wei Wang%' AND hidden_at IS NULL
           ORDER BY published_at DESC, pk DESC LIMIT 20`,
        )
        .pluck()
        .all() as number[]
    ).map(Number);
    expect(expected).toHaveLength(20);
    expect(keys('author:wang', 'date', 0, 0)).toEqual(expected);
  });
});
