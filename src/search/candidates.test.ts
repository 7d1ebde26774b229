/**
 * The first pass for common words (search.sqlite.ts `candidates`, docs/search.md): above the exact budget, the
 * candidates are the newest papers with the words in their title, from the titles-only index (migration 0009)
 * for plain words and phrases, from the full index's title column when exclusions need the other columns. The
 * budgets are set to 0 here so that every query takes that path on a small collection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperRecord, seedPapers } from '../../test/helpers/factories.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { parseQuery } from './query-parse.ts';
import { DEFAULT_RANKING, searchKeys } from './search.sqlite.ts';
import { NO_FILTERS } from './search.store.ts';

const NEWEST = 10;
const ranking = { ...DEFAULT_RANKING, exactBudget: 0, exactBudgetLarge: 0, newest: NEWEST };
let store: TestStore;

interface Row {
  pk: number;
  title: string;
  abstract: string;
  published_at: string;
}
const rows = (): Row[] =>
  store.sqlite.prepare('SELECT pk, title, abstract, published_at FROM papers ORDER BY pk').all() as Row[];
const keys = (q: string, filters = NO_FILTERS) => searchKeys(store, parseQuery(q), NEWEST, ranking, filters);
/** the newest NEWEST papers whose title passes `test`, as the index should find them */
const newestTitles = (test: (r: Row) => boolean) =>
  rows()
    .filter(test)
    .map((r) => r.pk)
    .sort((a, b) => b - a)
    .slice(0, NEWEST)
    .sort((a, b) => a - b);
const sorted = (pks: number[]) => [...pks].sort((a, b) => a - b);

beforeAll(async () => {
  store = await createTestStore();
  const records = Array.from({ length: 120 }, (_, i) => {
    const inTitle = i % 4 === 0;
    const topic = i % 8 === 0 ? 'text-to-image transformers' : 'transformers';
    return paperRecord({
      title: inTitle ? `Sparse ${topic} number ${i}` : `A study of attention, number ${i}`,
      abstract: `We train transformers ${i % 3 === 0 ? 'for vision' : 'for language'} and report results.`,
      publishedAt: `2024-${String(1 + (i % 12)).padStart(2, '0')}-10T12:00:00.000Z`,
    });
  });
  await seedPapers(store, records);
});
afterAll(async () => {
  await store.dispose();
});

describe('candidates for common words', () => {
  it('are the newest papers with the word in their title', () => {
    const expected = newestTitles((r) => /transformers/i.test(r.title));
    expect(expected).toHaveLength(NEWEST);
    expect(sorted(keys('transformers'))).toEqual(expected);
  });

  it('match a phrase in the title only as a phrase', () => {
    const expected = newestTitles((r) => /text-to-image/.test(r.title));
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(keys('"text to image"'))).toEqual(expected);
  });

  it('keep date filters and exclusions (which read the other columns)', () => {
    const after = { ...NO_FILTERS, after: '2024-07-01' };
    expect(sorted(keys('transformers', after))).toEqual(
      newestTitles((r) => /transformers/i.test(r.title) && r.published_at >= '2024-07-01'),
    );
    expect(sorted(keys('transformers -vision'))).toEqual(
      newestTitles((r) => /transformers/i.test(r.title) && !/vision/.test(r.abstract)),
    );
  });

  it('follow title edits, deletions and hidden papers', () => {
    const [newest, second, third] = newestTitles((r) => /transformers/i.test(r.title)).reverse();
    store.sqlite.prepare("UPDATE papers SET title = 'Mixture of experts' WHERE pk = ?").run(newest);
    store.sqlite.prepare('DELETE FROM papers WHERE pk = ?').run(second);
    store.sqlite.prepare("UPDATE papers SET hidden_at = '2025-01-01' WHERE pk = ?").run(third);
    const now = keys('transformers');
    expect(now).not.toContain(newest);
    expect(now).not.toContain(second);
    expect(now).not.toContain(third);
    expect(keys('experts')).toEqual([newest]);
    store.sqlite.exec("INSERT INTO papers_title_fts (papers_title_fts) VALUES ('integrity-check')");
  });
});
