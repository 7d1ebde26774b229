/**
 * The searches that are not 1–3 common words by relevance, at 1,000,000 papers: sorted by date or upvotes with
 * an author, a category, a phrase, an exclusion or 30 words; the filter form's category and "featured only";
 * a stop-word phrase; the deepest page allowed. Each is run once cold (its first time in this process: document
 * counts not cached, pages perhaps not in the OS cache) and then three times; the table gives the first run and
 * the median of the others, in ms, in-process (no HTTP), and how many results came back.
 *
 * Needs bench/out/bench-1m.db (bench/import.ts builds it; no paper featured in it). `--db <file>`: another
 * database, e.g. bench/out/bench-daily.db (bench/daily-list.ts: 1M papers, 50,000 featured), where "featured
 * only" takes the path for many featured papers. Usage: npx tsx bench/search-hard.ts [--db <file>]
 */
import { existsSync, readFileSync } from 'node:fs';
import { openStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { searchPapers } from '../src/search/search.sqlite.ts';
import { NO_FILTERS, type SearchFilters, type SearchSort } from '../src/search/search.store.ts';
import { importBenchmark, MILLION_DB } from './import.ts';
import { machine } from './shared.ts';

interface Case {
  q: string;
  sort: SearchSort;
  filters?: Partial<SearchFilters>;
  offset?: number;
}

const WORDS =
  'learning model data network deep neural training large language image based using method approach results ' +
  'performance task tasks models show propose new paper work problem state art';

const CASES: Case[] = [
  { q: 'author:"wang"', sort: 'date' },
  { q: 'author:wang model', sort: 'upvotes' },
  { q: 'cat:cs.CL', sort: 'upvotes' },
  { q: 'cat:cs the', sort: 'date' },
  { q: '"large language"', sort: 'date' },
  { q: '"neural network"', sort: 'date' },
  { q: '"graph neural"', sort: 'date' },
  { q: 'model -learning', sort: 'date' },
  { q: 'model', sort: 'date', filters: { category: 'cs.CL' } },
  { q: WORDS, sort: 'date' },
  { q: WORDS, sort: 'relevance' },
  { q: 'model', sort: 'relevance', filters: { featuredOnly: true } },
  { q: 'model', sort: 'date', filters: { featuredOnly: true } },
  { q: 'graph neural networks', sort: 'upvotes', filters: { featuredOnly: true } },
  { q: '"the of and in a to for with"', sort: 'relevance' },
  { q: 'the quantum chromodynamics', sort: 'date' },
  { q: 'model', sort: 'relevance', offset: 980 },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function hardSearches(db = MILLION_DB) {
  if (db === MILLION_DB && !existsSync(MILLION_DB)) await importBenchmark(1_000_000);
  if (!existsSync(db)) throw new Error(`${db} does not exist`);
  const store = openStore(`sqlite:${db}`);
  await migrateToLatest(store);
  const features = Number(store.sqlite.prepare('SELECT count(*) FROM features').pluck().get());
  const rows = CASES.map((c) => {
    const run = () => {
      const t = performance.now();
      const result = searchPapers(store, {
        query: parseQuery(c.q),
        filters: { ...NO_FILTERS, ...c.filters },
        sort: c.sort,
        offset: c.offset ?? 0,
        limit: 20,
      });
      return { ms: performance.now() - t, hits: result.hits.length };
    };
    const first = run();
    const again = [run(), run(), run()];
    return { ...c, first: first.ms, warm: median(again.map((r) => r.ms)), hits: first.hits };
  });
  await store.close();
  return { rows, features };
}

if (import.meta.filename === process.argv[1]) {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const at = process.argv.indexOf('--db');
  const { rows, features } = await hardSearches(at > 0 ? process.argv[at + 1] : MILLION_DB);
  console.log(
    `\nHarder searches at 1M papers (${features} featured), ${new Date().toISOString()}, ${machine()}, load before: ${load}\n`,
  );
  console.log(
    '| query | sort | filters, page | first run | then (median of 3) | results |\n|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    const extra = [
      r.filters?.category ? `category ${r.filters.category}` : '',
      r.filters?.featuredOnly ? 'featured only' : '',
      r.offset ? `results ${r.offset + 1}–${r.offset + 20}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const q = r.q.length > 40 ? `${r.q.slice(0, 37)}… (${r.q.split(' ').length} words)` : r.q;
    console.log(
      `| \`${q}\` | ${r.sort} | ${extra || '—'} | ${r.first.toFixed(1)} ms | ${r.warm.toFixed(1)} ms | ${r.hits} |`,
    );
  }
}
