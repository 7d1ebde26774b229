import { type ChildProcess, execSync, spawn } from 'node:child_process';
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
