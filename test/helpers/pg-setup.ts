import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * vitest globalSetup of the "postgres" project: uses PAPERBOY_TEST_PG_URL when given, else starts the
 * throwaway cluster of scripts/pg-cluster.sh (Debian's postgresql package) and stops it at the end, unless it
 * was running already (someone's benchmark or server: stopping it would pull the database from under them).
 * (vitest.config.ts only uses it when PostgreSQL is installed.)
 */
export default function setup(): (() => void) | undefined {
  if (process.env.PAPERBOY_TEST_PG_URL) return undefined;
  const script = resolve(import.meta.dirname, '../../scripts/pg-cluster.sh');
  const wasRunning = spawnSync(script, ['status']).status === 0;
  const url = execFileSync(script, ['start'], { encoding: 'utf8' }).trim();
  process.env.PAPERBOY_TEST_PG_URL = url;
  return () => {
    if (!wasRunning) execFileSync(script, ['stop']);
  };
}
