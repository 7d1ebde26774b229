/**
 * SQLite and PostgreSQL side by side, in one run, at 1,000,000 papers and 50,000 features: import, the daily
 * list and its API, search, and votes; then the same daily-list load over two app processes on PostgreSQL
 * (the several-machines shape on one box). wrk for reads (cache off, so the engine is measured), autocannon for
 * votes. Needs PostgreSQL (scripts/pg-cluster.sh start, or PAPERBOY_BENCH_PG_URL pointing at an admin database).
 * Usage: npx tsx bench/postgres.ts [--papers 1000000] [--seconds 8] [--reads-only]
 * `--reads-only`: no imports and no votes; the reads again on the databases a previous run left (to measure a
 * change to reads without 25 minutes of imports).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { openAnyStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createApiToken, createUser } from '../src/users/users.store.ts';
import { generateFeatures, generatePapers, syntheticId } from './generate.ts';
import { cleanEnv, machine, OUT, ROOT, removeSqliteFiles, startBenchServer, wrkPaths } from './shared.ts';

const arg = (name: string, fallback: number) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const PAPERS = arg('--papers', 1_000_000);
const SECONDS = arg('--seconds', 8);
const FEATURES = Math.min(50_000, Math.floor(PAPERS / 20));
const READS_ONLY = process.argv.includes('--reads-only');

interface Row {
  engine: string;
  measure: string;
  value: string;
}
const rows: Row[] = [];
const note = (engine: string, measure: string, value: string) => {
  rows.push({ engine, measure, value });
  process.stderr.write(`${engine}: ${measure}: ${value}\n`);
};

function importInto(url: string, files: string[]): { seconds: number; inserted: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['bin/paperboy.js', 'import', ...files], {
    cwd: ROOT,
    env: cleanEnv({ DATABASE_URL: url, DATA_DIR: OUT }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return {
    seconds: (performance.now() - started) / 1000,
    inserted: Number(/inserted\s+(\d+)/.exec(r.stdout)?.[1]),
  };
}

function wrk(url: string, connections = 10): { p50: number; p99: number; rps: number } {
  const { origin, pathname, search } = new URL(url);
  return wrkPaths(origin, [pathname + search], { seconds: SECONDS, connections });
}

async function votes(base: string, tokens: string[]): Promise<string> {
  let next = 0;
  const r = await autocannon({
    url: base,
    connections: 100,
    duration: SECONDS,
    setupClient: (client) => {
      const i = next++ % tokens.length;
      client.setHeaders({ authorization: `Bearer ${tokens[i]}` });
      const path = `/api/papers/${syntheticId((i * 7919) % PAPERS)}/upvote`;
      client.setRequests([
        { method: 'POST', path },
        { method: 'DELETE', path },
      ]);
    },
  });
  return `${Math.round(r.requests.average)} votes/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.non2xx + r.errors} errors`;
}

async function measure(engine: string, url: string, files: string[]) {
  if (!READS_ONLY) {
    const imported = importInto(url, files);
    note(
      engine,
      `import ${imported.inserted} papers + ${FEATURES} features`,
      `${imported.seconds.toFixed(0)} s (${Math.round(imported.inserted / imported.seconds)} papers/s)`,
    );
  }
  const store = openAnyStore(url);
  await migrateToLatest(store);
  const tokens: string[] = [];
  for (let i = 0; i < (READS_ONLY ? 0 : 100); i++) {
    const user = await createUser(store.db, {
      username: `bench${i}`,
      email: `bench${i}@example.org`,
      passwordHash: 'x',
    });
    tokens.push(await createApiToken(store.db, user.id, 'bench'));
  }
  await store.close();
  const port = 30_000 + Math.floor(Math.random() * 1000);
  const env = {
    PAGE_CACHE_MB: '0',
    VOTES_PER_MINUTE: '1000000',
    HARVEST_ENABLED: 'false',
    DIGESTS_ENABLED: 'false',
  };
  const server = await startBenchServer(url, port, { ...env, DATABASE_URL: url });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (const path of [
      '/papers/date/2022-06-15',
      '/api/daily_papers?date=2022-06-15',
      '/papers?q=transformer',
      '/papers?q=graph+neural+networks',
    ]) {
      const r = wrk(base + path);
      note(
        engine,
        `GET ${path} (cache off)`,
        `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.rps} req/s`,
      );
    }
    if (!READS_ONLY) note(engine, 'votes across 1M papers, 100 clients', await votes(base, tokens));
  } finally {
    server.kill('SIGTERM');
  }
  if (engine === 'postgres') {
    // two app processes on one PostgreSQL, a wrk on each at once
    const ports = [port + 1, port + 2];
    const servers = await Promise.all(
      ports.map((p) => startBenchServer(url, p, { ...env, DATABASE_URL: url })),
    );
    try {
      const both = await Promise.all(
        ports.map(
          (p) =>
            new Promise<{ rps: number; p99: string }>((resolve) => {
              const child = spawn('wrk', [
                '-t1',
                '-c10',
                `-d${SECONDS}s`,
                '--latency',
                `http://127.0.0.1:${p}/papers/date/2022-06-15`,
              ]);
              let out = '';
              child.stdout.on('data', (d) => {
                out += d;
              });
              child.on('exit', () =>
                resolve({
                  rps: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])),
                  p99: /99%\s+(\S+)/.exec(out)?.[1] ?? '?',
                }),
              );
            }),
        ),
      );
      note(
        engine,
        'GET /papers/date/2022-06-15 over two app processes (cache off)',
        `${both[0]!.rps + both[1]!.rps} req/s in all (p99 ${both.map((b) => b.p99).join(' / ')})`,
      );
    } finally {
      for (const s of servers) s.kill('SIGTERM');
    }
  }
}

const papersFile = join(OUT, `papers-${PAPERS}.jsonl`);
if (!existsSync(papersFile)) await generatePapers(PAPERS, papersFile);
const featuresFile = join(OUT, `features-${FEATURES}-of-${PAPERS}.jsonl`);
if (!existsSync(featuresFile)) await generateFeatures(FEATURES, PAPERS, featuresFile);

const sqliteDb = join(OUT, 'bench-engines.db');
if (!READS_ONLY) removeSqliteFiles(sqliteDb);
await measure('sqlite', `sqlite:${sqliteDb}`, [papersFile, featuresFile]);

// a cluster of its own (port 54330), so a test run's cluster, started and stopped by vitest, is never this one
const admin =
  process.env.PAPERBOY_BENCH_PG_URL ??
  execFileSync(join(ROOT, 'scripts/pg-cluster.sh'), ['start'], {
    encoding: 'utf8',
    env: { ...process.env, PAPERBOY_PG_PORT: process.env.PAPERBOY_PG_PORT ?? '54330' },
  }).trim();
const client = new pg.Client({ connectionString: admin });
await client.connect();
if (!READS_ONLY) {
  await client.query('DROP DATABASE IF EXISTS paperboy_bench WITH (FORCE)');
  await client.query('CREATE DATABASE paperboy_bench');
}
await client.end();
const pgUrl = new URL(admin);
pgUrl.pathname = '/paperboy_bench';
await measure('postgres', pgUrl.toString(), [papersFile, featuresFile]);

console.log(
  `\nSQLite and PostgreSQL side by side (${PAPERS} papers, ${FEATURES} features), ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`,
);
console.log('| engine | measure | figure |');
console.log('|---|---|---|');
for (const r of rows) console.log(`| ${r.engine} | ${r.measure} | ${r.value} |`);
