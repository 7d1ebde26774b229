/**
 * Daily list benchmark: the daily list pages and /api/daily_papers at 1,000,000 papers and 50,000 features,
 * under autocannon on loopback (server and load generator in separate processes, one core each).
 * Needs bench/out/bench-1m.db from bench/import.ts (built here if missing). Prints p50/p99 latency and req/s.
 * Usage: npx tsx bench/daily-list.ts [--seconds 10] [--connections 10]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import { generateFeatures } from './generate.ts';
import { importBenchmark, MILLION_DB } from './import.ts';
import { cleanEnv, machine, OUT, ROOT } from './shared.ts';

const FEATURES = 50_000;

export interface LoadFigure {
  path: string;
  p50: number;
  p99: number;
  requestsPerSecond: number;
  errors: number;
}

async function prepareDatabase(): Promise<string> {
  if (!existsSync(MILLION_DB)) await importBenchmark(1_000_000);
  const db = join(OUT, 'bench-daily.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  const source = new BetterSqlite3(MILLION_DB);
  source.pragma('wal_checkpoint(TRUNCATE)');
  source.close();
  copyFileSync(MILLION_DB, db);
  const features = join(OUT, `features-${FEATURES}.jsonl`);
  if (!existsSync(features)) await generateFeatures(FEATURES, 1_000_000, features);
  const result = spawnSync(process.execPath, ['bin/paperboy.js', 'import', features], {
    cwd: ROOT,
    env: cleanEnv({ DATABASE_URL: `sqlite:${db}`, DATA_DIR: OUT }),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  const check = new BetterSqlite3(db, { readonly: true });
  const counts = check
    .prepare('SELECT (SELECT count(*) FROM papers) papers, (SELECT count(*) FROM features) features')
    .get();
  check.close();
  process.stderr.write(`database ready: ${JSON.stringify(counts)}\n`);
  return db;
}

async function startServer(db: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/paperboy.js', 'serve'], {
    cwd: ROOT,
    env: cleanEnv({ DATABASE_URL: `sqlite:${db}`, DATA_DIR: OUT, PORT: String(port), LOG_LEVEL: 'warn' }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const ok = await fetch(`http://127.0.0.1:${port}/api/daily_papers?limit=1`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return child;
  }
  child.kill();
  throw new Error('server did not start');
}

async function load(url: string, seconds: number, connections: number): Promise<LoadFigure> {
  await autocannon({ url, connections, duration: 2 }); // warm-up
  const result = await autocannon({ url, connections, duration: seconds });
  return {
    path: new URL(url).pathname + new URL(url).search,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requestsPerSecond: Math.round(result.requests.average),
    errors: result.errors + result.non2xx,
  };
}

export async function dailyListBenchmark(seconds = 10, connections = 10): Promise<LoadFigure[]> {
  const db = await prepareDatabase();
  const port = 28_000 + Math.floor(Math.random() * 1000);
  const server = await startServer(db, port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const day = '2022-06-15';
    const paths = [
      '/',
      `/papers/date/${day}`,
      '/papers/week/2022-W24',
      `/api/daily_papers?date=${day}`,
      '/api/daily_papers',
    ];
    const figures: LoadFigure[] = [];
    for (const path of paths) figures.push(await load(base + path, seconds, connections));
    return figures;
  } finally {
    server.kill('SIGTERM');
  }
}

export function loadTable(figures: LoadFigure[]): string {
  const rows = figures.map(
    (f) => `| \`${f.path}\` | ${f.p50} ms | ${f.p99} ms | ${f.requestsPerSecond} | ${f.errors} |`,
  );
  return ['| request | p50 | p99 | req/s | errors |', '|---|---|---|---|---|', ...rows].join('\n');
}

if (import.meta.filename === process.argv[1]) {
  const arg = (name: string, fallback: number) =>
    process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
  const figures = await dailyListBenchmark(arg('--seconds', 10), arg('--connections', 10));
  console.log(
    `\nDaily list benchmark (1M papers, ${FEATURES} features), ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`,
  );
  console.log(loadTable(figures));
}
