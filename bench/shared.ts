import { type ChildProcess, execSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const SHARED_DATA = resolve(process.env.PAPERBOY_SHARED_DATA ?? join(ROOT, '../shared/data'));
export const OUT = join(ROOT, 'bench/out');

/** The machine a figure was measured on, for docs/benchmarks.md. */
export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let kernel = '';
  try {
    kernel = execSync('uname -sr').toString().trim();
  } catch {}
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${kernel}, Node ${process.version}`;
}

/** An environment for child processes without the variables vite adds. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR']) delete env[name];
  return { ...env, LOG_LEVEL: 'warn', HARVEST_ENABLED: 'false', ARXIV_LOOKUPS_ENABLED: 'false', ...extra };
}

/** Starts `paperboy serve` on a database in its own process and waits until it answers. */
export async function startBenchServer(
  db: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/paperboy.js', 'serve'], {
    cwd: ROOT,
    env: cleanEnv({
      DATABASE_URL: `sqlite:${db}`,
      DATA_DIR: OUT,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const ok = await fetch(`http://127.0.0.1:${port}/api/daily_papers?limit=1`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
  }
  child.kill();
  throw new Error('the server did not start');
}

/** What one wrk run measured: latency percentiles in ms, requests a second, failed responses. */
export interface WrkLoad {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

/**
 * wrk (Debian: apt-get install wrk) on one thread cycling through paths (a Lua script), after a warm-up run of
 * `warmSeconds` (0: none), so the figures are of a server that has seen these requests.
 */
export function wrkPaths(
  base: string,
  paths: string[],
  {
    seconds,
    connections = 10,
    warmSeconds = 2,
  }: { seconds: number; connections?: number; warmSeconds?: number },
): WrkLoad {
  const script = join(OUT, `wrk-paths-${process.pid}.lua`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n`,
  );
  const run = (s: number, latency: boolean) =>
    spawnSync(
      'wrk',
      ['-t1', `-c${connections}`, `-d${s}s`, ...(latency ? ['--latency'] : []), '-s', script, base],
      {
        encoding: 'utf8',
      },
    );
  if (warmSeconds > 0) run(warmSeconds, false);
  const result = run(seconds, true);
  if (result.error) throw new Error(`wrk could not run (${result.error.message}): apt-get install wrk`);
  const out = result.stdout;
  const ms = (label: string) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]!]! : Number.NaN;
  };
  return {
    p50: ms('50%'),
    p99: ms('99%'),
    rps: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])),
    errors:
      Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
      (/Socket errors: (.*)/.exec(out)?.[1]?.match(/\d+/g) ?? []).reduce((sum, n) => sum + Number(n), 0),
  };
}

/** Deletes a SQLite database file and its WAL and shared-memory files, for a benchmark that starts afresh. */
export function removeSqliteFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** [label, query, sort]: common words are in 2–40 % of papers, rare ones in a few hundred at 1M. */
export const SCALE_SEARCHES: [string, string, 'relevance' | 'date'][] = [
  ['1 word, common', 'transformer', 'relevance'],
  ['1 word, common', 'transformer', 'date'],
  ['1 word, rare', 'hyperbolic', 'relevance'],
  ['1 word, rare', 'hyperbolic', 'date'],
  ['2 words, common', 'language models', 'relevance'],
  ['2 words, common', 'language models', 'date'],
  ['2 words, rare', 'protein folding', 'relevance'],
  ['2 words, rare', 'protein folding', 'date'],
  ['3 words, common', 'graph neural networks', 'relevance'],
  ['3 words, common', 'graph neural networks', 'date'],
  ['3 words, rare', 'quantum error correction', 'relevance'],
  ['3 words, rare', 'quantum error correction', 'date'],
];
