/**
 * Issue 18's table: SQLite and PostgreSQL side by side, in one sitting, at N generated papers (1M; 2.7M, the size
 * of the whole arXiv snapshot). Per engine: the import (`paperboy import`, papers/s and the peak RSS it reports),
 * on PostgreSQL the rum index made afterwards (`paperboy migrate`), the database size; then over HTTP with wrk
 * (the default web processes, one a core; page cache off, so the engine is measured): searches of 1, 2 and 3 words, common and rare,
 * by relevance and by date; the daily list; paper pages (with their similar papers) and the similar-papers API
 * over 200 papers, first visit and again.
 * Needs wrk (Debian: apt-get install wrk) and PostgreSQL (the cluster of port 54330, scripts/pg-cluster.sh).
 * Usage: npx tsx bench/scale.ts [--papers 1000000] [--seconds 5] [--engine sqlite|postgres|both] [--reads-only]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateFeatures, generatePapers, syntheticId } from './generate.ts';
import { benchQueries } from './search-speed.ts';
import {
  cleanEnv,
  machine,
  OUT,
  ROOT,
  removeSqliteFiles,
  SCALE_SEARCHES as SEARCHES,
  startBenchServer,
  type WrkLoad,
  wrkPaths,
} from './shared.ts';

const { values } = parseArgs({
  options: {
    papers: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '5' },
    engine: { type: 'string', default: 'both' },
    'reads-only': { type: 'boolean', default: false },
  },
});
const PAPERS = Number(values.papers);
const SECONDS = Number(values.seconds);
const FEATURES = Math.min(50_000, Math.floor(PAPERS / 20));
const READS_ONLY = values['reads-only'];

const table: Map<string, Record<string, string>> = new Map();
function note(engine: string, measure: string, value: string) {
  const row = table.get(measure) ?? {};
  row[engine] = value;
  table.set(measure, row);
  process.stderr.write(`${engine}: ${measure}: ${value}\n`);
}

type Load = WrkLoad;
const wrk = (base: string, paths: string[], seconds: number, warm = true, connections = 10): Load =>
  wrkPaths(base, paths, { seconds, connections, warmSeconds: warm ? 2 : 0 });

/** 1992 → "1,992", as the docs write figures */
const grouped = (x: number) => Math.round(x).toLocaleString('en-US');
const shown = (r: Load) =>
  `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${grouped(r.rps)} req/s${r.errors ? `, ${r.errors} errors` : ''}`;

function paperboy(url: string, args: string[]) {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['bin/paperboy.js', ...args], {
    cwd: ROOT,
    env: cleanEnv({ DATABASE_URL: url, DATA_DIR: OUT, LOG_LEVEL: 'info' }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`paperboy ${args[0]} failed: ${r.stderr.slice(-2000)}`);
  return { seconds: (performance.now() - started) / 1000, stdout: r.stdout };
}

async function databaseMb(url: string): Promise<number> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return (
      ['', '-wal'].reduce((sum, s) => sum + (existsSync(path + s) ? statSync(path + s).size : 0), 0) / 2 ** 20
    );
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b');
  await client.end();
  return Number(rows[0]!.b) / 2 ** 20;
}

async function measure(engine: 'sqlite' | 'postgres', url: string, files: string[]) {
  const load = () => loadavg()[0]!.toFixed(1);
  const loadAtStart = load();
  if (!READS_ONLY) {
    const imported = paperboy(url, ['import', ...files]);
    const inserted = Number(/inserted\s+(\d+)/.exec(imported.stdout)?.[1]);
    const rss = /peak memory (\d+) MB/.exec(imported.stdout)?.[1] ?? '?';
    note(
      engine,
      'import: papers/s (wall time)',
      `${grouped(inserted / imported.seconds)} (${grouped(imported.seconds)} s)`,
    );
    note(engine, 'import: peak RSS', `${rss} MB`);
    if (engine === 'postgres') {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('VACUUM ANALYZE');
      await client.end();
      const rum = paperboy(url, ['migrate']);
      note(engine, 'rum index, made after the import', `${grouped(rum.seconds)} s`);
    }
  }
  note(engine, 'database size', `${grouped(await databaseMb(url))} MB`);
  const port = 31_000 + Math.floor(Math.random() * 1000);
  const server = await startBenchServer('', port, {
    DATABASE_URL: url,
    PAGE_CACHE_MB: '0',
    HARVEST_ENABLED: 'false',
    DIGESTS_ENABLED: 'false',
    // the keyphrases of a fresh import are extracted by a job that would run through every read below (at
    // ~60 papers/s on PostgreSQL, for hours): its CPU is not the engine's search speed
    KEYWORDS_ENABLED: 'false',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (const [label, q, sort] of SEARCHES) {
      const path = `/papers?q=${encodeURIComponent(q)}${sort === 'date' ? '&sort=date' : ''}`;
      note(engine, `search ${label} "${q}", by ${sort}`, shown(wrk(base, [path], SECONDS)));
    }
    // 1,000 different 1–3 word queries from real titles, as bench/search-speed.ts cycles through
    const mixed = (await benchQueries(1000)).map((q) => encodeURIComponent(q));
    note(
      engine,
      'search API, 1,000 mixed queries',
      shown(
        wrk(
          base,
          mixed.map((q) => `/api/papers/search?q=${q}&limit=20`),
          SECONDS * 2,
        ),
      ),
    );
    note(
      engine,
      'search page, 1,000 mixed queries',
      shown(
        wrk(
          base,
          mixed.map((q) => `/papers?q=${q}`),
          SECONDS * 2,
        ),
      ),
    );
    note(
      engine,
      'daily list /papers/date/2022-06-15',
      shown(wrk(base, ['/papers/date/2022-06-15'], SECONDS)),
    );
    // 200 papers spread over the collection: the first round computes their similar papers, the next reuses them
    const ids = Array.from({ length: 200 }, (_, i) => syntheticId(Math.floor(((i + 0.5) * PAPERS) / 200)));
    const similar = ids.map((id) => `/api/papers/${id}/similar?limit=5`);
    const oneAtATime = async () => {
      const times: number[] = [];
      for (const path of similar) {
        const started = performance.now();
        const res = await fetch(base + path);
        await res.arrayBuffer();
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b);
    };
    const first = await oneAtATime();
    const second = await oneAtATime();
    note(
      engine,
      'similar papers API, one at a time (200 papers), p50 first visit / again',
      `${first[100]!.toFixed(1)} ms / ${second[100]!.toFixed(1)} ms (p99 ${first[197]!.toFixed(0)} / ${second[197]!.toFixed(1)} ms)`,
    );
    note(engine, 'similar papers API, again', shown(wrk(base, similar, SECONDS, false)));
    note(
      engine,
      'paper page /papers/{id} (with similar papers)',
      shown(
        wrk(
          base,
          ids.map((id) => `/papers/${id}`),
          SECONDS,
        ),
      ),
    );
  } finally {
    server.kill('SIGTERM');
  }
  // the machine is shared: what else ran shows in its load (2 cores: above 2, something else competed)
  note(engine, 'load average (1 min) at start and end', `${loadAtStart} → ${load()}`);
}

const papersFile = join(OUT, `papers-${PAPERS}.jsonl`);
if (!existsSync(papersFile)) await generatePapers(PAPERS, papersFile);
const featuresFile = join(OUT, `features-${FEATURES}-of-${PAPERS}.jsonl`);
if (!existsSync(featuresFile)) await generateFeatures(FEATURES, PAPERS, featuresFile);
const files = [papersFile, featuresFile];

if (values.engine !== 'postgres') {
  const db = join(OUT, `scale-${PAPERS}.db`);
  if (!READS_ONLY) removeSqliteFiles(db);
  await measure('sqlite', `sqlite:${db}`, files);
}
if (values.engine !== 'sqlite') {
  const admin =
    process.env.PAPERBOY_BENCH_PG_URL ??
    execFileSync(join(ROOT, 'scripts/pg-cluster.sh'), ['start'], {
      encoding: 'utf8',
      env: { ...process.env, PAPERBOY_PG_PORT: process.env.PAPERBOY_PG_PORT ?? '54330' },
    }).trim();
  const name = `paperboy_scale_${PAPERS}`;
  if (!READS_ONLY) {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  await measure('postgres', url.toString(), files);
}

console.log(
  `\nAt ${PAPERS.toLocaleString('en')} papers and ${FEATURES.toLocaleString('en')} features, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`,
);
console.log('| measure | SQLite | PostgreSQL |');
console.log('|---|---|---|');
for (const [measure, row] of table)
  console.log(`| ${measure} | ${row.sqlite ?? '—'} | ${row.postgres ?? '—'} |`);
