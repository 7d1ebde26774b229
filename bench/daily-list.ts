/**
 * Daily list benchmark: the daily list pages and /api/daily_papers at 1,000,000 papers and 50,000 features,
 * under autocannon on loopback (server and load generator in separate processes, one core each).
 * Needs bench/out/bench-1m.db from bench/import.ts (built here if missing). Prints p50/p99 latency and req/s.
 * Usage: npx tsx bench/daily-list.ts [--seconds 10] [--connections 10]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import { generateFeatures } from './generate.ts';
import { importBenchmark, MILLION_DB } from './import.ts';
import { cleanEnv, machine, OUT, ROOT, removeSqliteFiles, startBenchServer } from './shared.ts';

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
  removeSqliteFiles(db);
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

const HAS_WRK = spawnSync('wrk', ['--version']).error === undefined;

/** wrk (C, Debian's package) when installed: it needs far less CPU than autocannon, which shares the 2 cores. */
async function load(url: string, seconds: number, connections: number): Promise<LoadFigure> {
  const path = new URL(url).pathname + new URL(url).search;
  if (HAS_WRK) {
    spawnSync('wrk', ['-t1', `-c${connections}`, '-d2s', url]); // warm-up
    const out = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
      encoding: 'utf8',
    }).stdout;
    const ms = (label: string) => {
      const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
      if (!m) return Number.NaN;
      return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]!]!;
    };
    const errors =
      Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
      Number(/Socket errors: .*?(\d+)/.exec(out)?.[1] ?? 0);
    return {
      path,
      p50: ms('50%'),
      p99: ms('99%'),
      requestsPerSecond: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])),
      errors,
    };
  }
  await autocannon({ url, connections, duration: 2 }); // warm-up
  const result = await autocannon({ url, connections, duration: seconds });
  return {
    path,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requestsPerSecond: Math.round(result.requests.average),
    errors: result.errors + result.non2xx,
  };
}

export interface LoadRun {
  cache: boolean;
  figures: LoadFigure[];
}

/** Each path under load twice: with the page cache (the default) and without it (every answer rendered). */
export async function dailyListBenchmark(seconds = 10, connections = 10): Promise<LoadRun[]> {
  const db = await prepareDatabase();
  const runs: LoadRun[] = [];
  for (const cacheMb of [64, 0]) {
    const port = 28_000 + Math.floor(Math.random() * 1000);
    const server = await startBenchServer(db, port, { PAGE_CACHE_MB: String(cacheMb) });
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
      runs.push({ cache: cacheMb > 0, figures });
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  }
  return runs;
}

export function loadTable(runs: LoadRun[]): string {
  const rows = runs.flatMap((run) =>
    run.figures.map(
      (f) =>
        `| \`${f.path}\` | ${run.cache ? 'on' : 'off'} | ${f.p50.toFixed(2)} ms | ${f.p99.toFixed(2)} ms | ${f.requestsPerSecond} | ${f.errors} |`,
    ),
  );
  return [
    `load: ${HAS_WRK ? 'wrk' : 'autocannon'}, 10 connections, one thread`,
    '',
    '| request | page cache | p50 | p99 | req/s | errors |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

if (import.meta.filename === process.argv[1]) {
  const arg = (name: string, fallback: number) =>
    process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
  const runs = await dailyListBenchmark(arg('--seconds', 10), arg('--connections', 10));
  console.log(
    `\nDaily list benchmark (1M papers, ${FEATURES} features), ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`,
  );
  console.log(loadTable(runs));
}
