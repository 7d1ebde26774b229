/**
 * Issue 18's "the same answers" at scale: the databases bench/scale.ts made (SQLite bench/out/scale-N.db and
 * PostgreSQL paperboy_scale_N, the same generated papers), both asked the same queries through the search
 * service, in process. Prints, per query and sort, how many of SQLite's first 10 papers PostgreSQL also has in
 * its first 10, and whether the two first pages are the same list in the same order. Date sorts are exact on both
 * engines, so they should agree whole (papers published at the same second may swap); relevance agrees as far as
 * the first passes differ (rank.postgres.ts, FIRST_PASS_FACTOR). The test on SciFact (test/engines-agree.test.ts)
 * is the small-collection twin of this.
 * Usage: npx tsx bench/scale-agree.ts [--papers 1000000] [--queries 200]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openAnyStore } from '../src/db/connect.ts';
import { NO_FILTERS, type SearchService, type SearchSort } from '../src/search/search.store.ts';
import { createSearchService } from '../src/search/search-service.ts';
import { benchQueries } from './search-speed.ts';
import { machine, OUT, SCALE_SEARCHES as SEARCHES } from './shared.ts';

const { values } = parseArgs({
  options: {
    papers: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '200' },
  },
});
const PAPERS = Number(values.papers);
const db = join(OUT, `scale-${PAPERS}.db`);
if (!existsSync(db)) throw new Error(`${db} is missing: run npx tsx bench/scale.ts --papers ${PAPERS} first`);
const pgAdmin = process.env.PAPERBOY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:54330/postgres';
const pgUrl = new URL(pgAdmin);
pgUrl.pathname = `/paperboy_scale_${PAPERS}`;

async function firstTen(service: SearchService, q: string, sort: SearchSort): Promise<string[]> {
  const out = await service.search({ q, filters: NO_FILTERS, sort, offset: 0, limit: 10 });
  return out.hits.map((h) => h.paper.id);
}

const sqlite = openAnyStore(`sqlite:${db}`);
const postgres = openAnyStore(pgUrl.toString());
const services = [sqlite, postgres].map((store) => createSearchService(store, { embedder: null }));
const asked: [string, SearchSort][] = [
  ...SEARCHES.map(([, q, sort]) => [q, sort] as [string, SearchSort]),
  ...(await benchQueries(Number(values.queries))).map((q) => [q, 'relevance'] as [string, SearchSort]),
];
const rows: string[] = [];
const mixed: { share: number; same: boolean }[] = [];
for (const [i, [q, sort]] of asked.entries()) {
  const a = await firstTen(services[0]!, q, sort);
  const b = await firstTen(services[1]!, q, sort);
  const common = a.filter((id) => b.includes(id)).length;
  const same = a.join() === b.join();
  if (i < SEARCHES.length)
    rows.push(
      `| ${q} | ${sort} | ${common} of ${a.length} (PostgreSQL ${b.length}) | ${same ? 'yes' : 'no'} |`,
    );
  else mixed.push({ share: a.length + b.length === 0 ? 1 : common / Math.max(a.length, b.length), same });
}
await sqlite.close();
await postgres.close();

console.log(
  `\nAt ${PAPERS.toLocaleString('en')} papers, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`,
);
console.log("| query | sort | SQLite's first 10 also in PostgreSQL's | same list, same order |");
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);
const meanShare = mixed.reduce((sum, m) => sum + m.share, 0) / Math.max(1, mixed.length);
console.log(
  `\n${mixed.length} mixed queries by relevance: ${(100 * meanShare).toFixed(0)} % of the first 10 shared on average, ` +
    `${mixed.filter((m) => m.same).length} the same list in the same order`,
);
