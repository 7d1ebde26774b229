/**
 * Search quality on BEIR SciFact (../shared/data/scifact_beir): the 5,183 abstracts go into a fresh SQLite store
 * through the real import writer, and the 300 test claims run through the site's own search code. Prints
 * nDCG@10 and Recall@100 per configuration, for all 300 queries and for each half: parameters are tuned on the
 * ODD half (1st, 3rd, … query of queries.test.jsonl) and checked on the EVEN half, which no choice looked at.
 *
 * Usage: npx tsx bench/search-quality.ts [--grid] [--hybrid]   (figures in docs/search.md)
 */
import { type Bm25fParams, DEFAULT_BM25F } from '../src/search/bm25f.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { DEFAULT_RANKING, type Ranking, searchKeys } from '../src/search/search.sqlite.ts';
import { evaluate, fmt, loadScifact, scifactStore, siteRanker } from './search-eval.ts';

const withBm25f = (
  patch: Partial<Bm25fParams>,
  fields: Partial<Bm25fParams['fields']> = {},
): Bm25fParams => ({
  ...DEFAULT_BM25F,
  ...patch,
  fields: { ...DEFAULT_BM25F.fields, ...fields },
});

/** The configurations reported in docs/search.md. */
export const CONFIGURATIONS: { name: string; ranking: Ranking }[] = [
  {
    name: 'FTS5 bm25(), all columns weight 1 (k1 1.2, b 0.75 fixed)',
    ranking: { ...DEFAULT_RANKING, depth: 0, weights: { title: 1, abstract: 1, authors: 1, categories: 1 } },
  },
  { name: 'FTS5 bm25(), weights title 3 : abstract 1', ranking: { ...DEFAULT_RANKING, depth: 0 } },
  {
    name: 'BM25F re-rank of the top 100, k1 1.2, title 3 (b 0.75 everywhere)',
    ranking: {
      ...DEFAULT_RANKING,
      bm25f: withBm25f({ k1: 1.2 }, { title: { weight: 3, b: 0.75 }, abstract: { weight: 1, b: 0.75 } }),
    },
  },
  {
    name: 'BM25F, k1 1.2, title b 0.5, abstract b 0.6 (first guess)',
    ranking: {
      ...DEFAULT_RANKING,
      bm25f: withBm25f({ k1: 1.2 }, { title: { weight: 3, b: 0.5 }, abstract: { weight: 1, b: 0.6 } }),
    },
  },
  { name: 'BM25F tuned on the odd half (the default)', ranking: DEFAULT_RANKING },
];

if (import.meta.filename === process.argv[1]) {
  const data = await loadScifact();
  const started = performance.now();
  const { store, corpusId } = await scifactStore(data.docs);
  process.stderr.write(
    `imported ${data.docs.length} abstracts in ${((performance.now() - started) / 1000).toFixed(1)} s; ${data.queries.length} queries\n`,
  );
  console.log('| configuration | nDCG@10 all 300 | odd half (tuning) | even half (check) | Recall@100 |');
  console.log('|---|---|---|---|---|');
  for (const c of CONFIGURATIONS)
    console.log(`| ${c.name} | ${fmt(evaluate(data, siteRanker(store, corpusId, c.ranking)))} |`);
  // what a page of results ranks: its 21 keys (20 and one to know a next page exists), re-ranked from the
  // ranking's depth of candidates (the rows above ask for 100 results, so they re-rank 100 whatever the depth)
  for (const depth of [50, 100]) {
    const ranking = { ...DEFAULT_RANKING, depth };
    const page = (text: string) =>
      searchKeys(store, parseQuery(text), 21, ranking).map((pk) => corpusId.get(pk)!);
    console.log(
      `| a page (21 results), re-ranked from the best ${depth} | ${fmt(evaluate(data, page))} (of 21) |`,
    );
  }
  if (process.argv.includes('--grid')) {
    const { gridSearch } = await import('./search-grid.ts');
    gridSearch(data, store, corpusId);
  }
  await store.close();
}
