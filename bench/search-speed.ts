/**
 * Search speed at 1,000,000 papers: `paperboy serve` with the page cache OFF (PAGE_CACHE_MB=0, so every answer
 * is searched and rendered), with one web process and with two (WEB_PROCESSES=2), under wrk (one thread, 10
 * connections, and 1 for the latency of one search with nothing queued before it) on loopback, cycling
 * through 1,000 different 1–3 word queries cut from real arXiv titles. Measures the API (`/api/papers/search?q=…&limit=20`, with
 * highlighted titles and snippets) and the search page (`/papers?q=…`, 20 cards with snippets). Also: the
 * same queries called in-process (no HTTP), the full-text index's size on disk, and the server's RSS.
 *
 * Needs bench/out/bench-1m.db (bench/import.ts builds it). Usage: npx tsx bench/search-speed.ts [--seconds 10]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { searchPapers } from '../src/search/search.sqlite.ts';
import { NO_FILTERS } from '../src/search/search.store.ts';
import { isStopWord } from '../src/search/stop-words.ts';
import { loadRealRecords } from './generate.ts';
import { importBenchmark, MILLION_DB } from './import.ts';
import { cleanEnv, machine, OUT, ROOT, wrkPaths } from './shared.ts';

/** 1,000 queries of 1–3 consecutive content words from real titles (a fixed seed: the same every run). */
export async function benchQueries(count = 1000): Promise<string[]> {
  const records = await loadRealRecords();
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const queries = new Set<string>();
  while (queries.size < count) {
    const title = String(records[Math.floor(random() * records.length)]!.title ?? '');
    const words = (title.toLowerCase().match(/[a-z][a-z0-9-]{2,}/g) ?? []).filter((w) => !isStopWord(w));
    if (words.length === 0) continue;
    const n = 1 + Math.floor(random() * 3);
    const start = Math.floor(random() * Math.max(1, words.length - n + 1));
    queries.add(words.slice(start, start + n).join(' '));
  }
  return [...queries];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The search functions alone, one query after another: p50/p99 in ms. */
async function inProcess(queries: string[]) {
  const store = openStore(`sqlite:${MILLION_DB}`);
  await migrateToLatest(store);
  const run = (q: string) =>
    searchPapers(store, {
      query: parseQuery(q),
      filters: NO_FILTERS,
      sort: 'relevance',
      offset: 0,
      limit: 20,
    });
  const cold: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    run(q);
    cold.push(performance.now() - t);
  }
  const warm: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    run(q);
    warm.push(performance.now() - t);
  }
  await store.close();
  cold.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  return {
    cold: { p50: percentile(cold, 50), p99: percentile(cold, 99), max: cold.at(-1)! },
    warm: { p50: percentile(warm, 50), p99: percentile(warm, 99), max: warm.at(-1)! },
  };
}

function indexSize(): { ftsMb: number; titleMb: number; databaseMb: number } {
  const db = new BetterSqlite3(MILLION_DB, { readonly: true });
  const fts = Number(
    db.prepare("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'papers_fts%'").pluck().get() ?? 0,
  );
  const title = Number(
    db.prepare("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'papers_title_fts%'").pluck().get() ?? 0,
  );
  const total = Number(db.prepare('SELECT SUM(pgsize) FROM dbstat').pluck().get() ?? 0);
  db.close();
  return {
    ftsMb: Math.round(fts / 1e6),
    titleMb: Math.round(title / 1e6),
    databaseMb: Math.round(total / 1e6),
  };
}

async function startServer(port: number, processes: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/paperboy.js', 'serve'], {
    cwd: ROOT,
    env: cleanEnv({
      DATABASE_URL: `sqlite:${MILLION_DB}`,
      DATA_DIR: OUT,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PAGE_CACHE_MB: '0',
      WEB_PROCESSES: String(processes),
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const ok = await fetch(`http://127.0.0.1:${port}/api/papers/search?q=x&limit=1`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return child;
  }
  child.kill();
  throw new Error('server did not start');
}

/** The server's processes: itself and, with several web processes, its children. */
function processTree(pid: number): number[] {
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);
  return [pid, ...children];
}

/** RSS of the processes, and of it their own memory (RssAnon): the rest is the database file mapped (shared). */
function rssMb(pids: number[]): { rss: number; peak: number; own: number } {
  let rss = 0;
  let peak = 0;
  let own = 0;
  for (const pid of pids) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    rss += kb('VmRSS');
    peak += kb('VmHWM');
    own += kb('RssAnon');
  }
  return { rss: Math.round(rss / 1024), peak: Math.round(peak / 1024), own: Math.round(own / 1024) };
}

/**
 * 20 s of the same load before measuring, so that every web process has seen every query several times: a
 * server that has run for a while knows its common terms' document counts (stats.sqlite.ts caches them per
 * process; the first count of a common word reads its whole posting list, ~10 ms at 1M papers).
 */
function warmUp(base: string, queries: string[]): void {
  const paths = queries.map((q) => `/api/papers/search?q=${encodeURIComponent(q)}&limit=1`);
  wrkPaths(base, paths, { seconds: 20, warmSeconds: 0 });
}

interface LoadFigure {
  label: string;
  p50: number;
  p99: number;
  requestsPerSecond: number;
  errors: number;
}

/** wrk cycling through the queries, after a 3 s warm-up run. */
function wrk(
  base: string,
  pathOf: (q: string) => string,
  queries: string[],
  seconds: number,
  label: string,
  connections = 10,
): LoadFigure {
  const r = wrkPaths(base, queries.map(pathOf), { seconds, connections, warmSeconds: 3 });
  return { label, p50: r.p50, p99: r.p99, requestsPerSecond: r.rps, errors: r.errors };
}

export async function searchSpeedBenchmark(seconds = 10) {
  if (!existsSync(MILLION_DB)) await importBenchmark(1_000_000);
  const queries = await benchQueries();
  const direct = await inProcess(queries);
  const size = indexSize();
  const api = (q: string) => `/api/papers/search?q=${encodeURIComponent(q)}&limit=20`;
  const page = (q: string) => `/papers?q=${encodeURIComponent(q)}`;
  const figures: LoadFigure[] = [];
  const memory: Record<number, { rss: number; peak: number; own: number }> = {};
  // one web process (WEB_PROCESSES=1, the default), then two: one Node thread per core
  for (const processes of [1, 2]) {
    const port = 29_000 + Math.floor(Math.random() * 1000);
    const server = await startServer(port, processes);
    try {
      const base = `http://127.0.0.1:${port}`;
      warmUp(base, queries);
      const label = (what: string, c: number) =>
        `${what}, ${processes} web process${processes > 1 ? 'es' : ''}, ${c} connection${c > 1 ? 's' : ''}`;
      figures.push(wrk(base, api, queries, seconds, label('API, 20 results', 10)));
      figures.push(wrk(base, page, queries, seconds, label('search page, 20 cards', 10)));
      // one search at a time: its latency with nothing queued before it
      figures.push(wrk(base, api, queries, seconds, label('API, 20 results', 1), 1));
      if (processes === 2)
        figures.push(wrk(base, page, queries, seconds, label('search page, 20 cards', 1), 1));
      memory[processes] = rssMb(processTree(server.pid!));
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  }
  return { queries: queries.length, direct, size, figures, memory };
}

if (import.meta.filename === process.argv[1]) {
  const seconds = process.argv.includes('--seconds')
    ? Number(process.argv[process.argv.indexOf('--seconds') + 1])
    : 10;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const r = await searchSpeedBenchmark(seconds);
  console.log(`\nSearch speed at 1M papers, ${new Date().toISOString()}, ${machine()}, load before: ${load}`);
  console.log(
    `${r.queries} distinct 1–3 word queries from real titles; page cache off; wrk -t1 -d${seconds}s\n`,
  );
  console.log('| request | p50 | p99 | req/s | errors |\n|---|---|---|---|---|');
  for (const f of r.figures)
    console.log(
      `| ${f.label} | ${f.p50.toFixed(2)} ms | ${f.p99.toFixed(2)} ms | ${f.requestsPerSecond} | ${f.errors} |`,
    );
  const d = r.direct;
  console.log(
    `\nin-process searchPapers (20 results with snippets), first pass over the queries: p50 ${d.cold.p50.toFixed(2)} ms, p99 ${d.cold.p99.toFixed(2)} ms, max ${d.cold.max.toFixed(1)} ms; second pass: p50 ${d.warm.p50.toFixed(2)} ms, p99 ${d.warm.p99.toFixed(2)} ms, max ${d.warm.max.toFixed(1)} ms`,
  );
  console.log(
    `full-text indexes ${r.size.ftsMb} MB (titles alone: ${r.size.titleMb} MB) of a ${r.size.databaseMb} MB database; RSS after the runs, all the server's processes: ${Object.entries(
      r.memory,
    )
      .map(
        ([n, m]) =>
          `${n} web process(es) ${m.rss} MB (peak ${m.peak} MB; their own memory ${m.own} MB, the rest the database file mapped)`,
      )
      .join('; ')}`,
  );
  console.log(`load after: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
}
