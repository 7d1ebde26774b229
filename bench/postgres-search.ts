/**
 * Searches on PostgreSQL at 1,000,000 papers, in-process through the search service (no HTTP): common and rare
 * words, by relevance, date and upvotes, and misspelt words (suggestions). For each: the first run, the median
 * of the next three, and what came first (so a wrong order shows: sorted by date, the first paper must be the
 * newest match). Needs the database bench/postgres.ts imports (`paperboy_bench` on the cluster of port 54330),
 * or PAPERBOY_BENCH_PG_URL pointing at one. Run `VACUUM ANALYZE` after an import. `--url sqlite:<file>`: the
 * same searches through the SQLite service (e.g. sqlite:bench/out/bench-1m.db), for comparison.
 * Usage: npx tsx bench/postgres-search.ts [--url <DATABASE_URL>]
 */
import { openAnyStore } from '../src/db/connect.ts';
import type { SearchSort } from '../src/search/search.store.ts';
import { createSearchService } from '../src/search/search-service.ts';
import { machine } from './shared.ts';

const at = process.argv.indexOf('--url');
const url =
  at > 0
    ? process.argv[at + 1]!
    : (process.env.PAPERBOY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:54330/paperboy_bench');
const CASES: [string, SearchSort][] = [
  ['transformer', 'relevance'],
  ['transformer', 'date'],
  ['transformer', 'upvotes'],
  ['model', 'relevance'],
  ['model', 'date'],
  ['model', 'upvotes'],
  ['graph neural networks', 'relevance'],
  ['graph neural networks', 'date'],
  ['protein folding', 'relevance'],
  ['protein folding', 'date'],
  ['reinforcment learning', 'relevance'],
  ['tranformer', 'relevance'],
  ['zzqxv', 'relevance'],
  // six made-up words: no paper has all, then none has any, then up to SUGGESTION_BUDGET words are counted
  ['qwrtzpx mnbvcxl plokijuh zxcvbnmq asdfghjk poiuytre', 'relevance'],
];

const store = openAnyStore(url);
const service = createSearchService(store, { embedder: null });
console.log(`Searches on ${store.dialect}, ${new Date().toISOString()}, ${machine()}\n`);
console.log('| query | sort | first run | median of 3 | first result (published, upvotes) | suggestion |');
console.log('|---|---|---|---|---|---|');
for (const [q, sort] of CASES) {
  const times: number[] = [];
  let outcome: Awaited<ReturnType<typeof service.search>> | undefined;
  for (let i = 0; i < 4; i++) {
    const started = performance.now();
    outcome = await service.search({ q, filters: service.filtersNone, sort, offset: 0, limit: 20 });
    times.push(performance.now() - started);
  }
  const [first, ...rest] = times;
  rest.sort((a, b) => a - b);
  const top = outcome?.hits[0]?.paper;
  const shown = top ? `${top.id} (${top.publishedAt?.slice(0, 10)}, ${top.upvotes})` : 'none';
  console.log(
    `| ${q} | ${sort} | ${first!.toFixed(0)} ms | ${rest[1]!.toFixed(1)} ms | ${shown} | ${outcome?.suggestion ?? '—'} |`,
  );
}
await store.close();
