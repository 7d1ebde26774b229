import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { sharedDataFile } from '../helpers/shared-data.ts';

/** The data the browser tests run on: real files from ../shared/data, imported with the real CLI. */
export const HF_SAMPLE = 'hf_daily_papers/hf_daily_papers_last30days_sample.jsonl';
export const ARXIV_SAMPLE = 'arxiv_metadata/arxiv_cs_CL_LG_AI_IR_2026-06-23_to_2026-07-01.jsonl';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/paperboy.js');
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Before the browser tests: a temporary folder with a fresh database, the shared data imported through
 * `paperboy import`, and `paperboy serve` listening on a free port of 127.0.0.1. Passes on to the workers
 * (which start after this) through the environment: PAPERBOY_E2E_BASE_URL, or PAPERBOY_E2E_SKIP with the
 * reason when Chromium or the data is missing. PAPERBOY_STRICT=1 turns every skip into a failure.
 * global-teardown.ts stops the server and deletes the folder.
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const chromium = config.projects[0]?.use.launchOptions?.executablePath ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    skip(
      `Chromium not installed at ${chromium}`,
      "install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH",
    );
    return;
  }
  const hf = sharedDataFile(HF_SAMPLE);
  const arxiv = sharedDataFile(ARXIV_SAMPLE);
  if (!hf || !arxiv) {
    skip('shared data files missing', 'put ../shared/data beside the checkout (or set PAPERBOY_SHARED_DATA)');
    return;
  }

  const dir = mkdtempSync(join(tmpdir(), 'paperboy-e2e-'));
  process.env.PAPERBOY_E2E_DIR = dir;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(dir, 'paperboy.db')}`,
    DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    // the shared data is from 2026: let members feature papers of any age, and hash passwords cheaper
    FEATURE_MAX_AGE_DAYS: '3650',
    PASSWORD_SCRYPT_LOG_N: '15',
    // digests are sent by tests, not by the clock
    DIGESTS_ENABLED: 'false',
    // the browser tests never contact arXiv
    HARVEST_ENABLED: 'false',
    ARXIV_LOOKUPS_ENABLED: 'false',
  };
  delete env.BASE_URL;

  try {
    execFileSync(process.execPath, [CLI, 'import', hf, arxiv], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(
      `paperboy import failed: ${e.message}\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`,
    );
  }

  const server = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    process.stderr.write(`[paperboy serve] ${chunk.toString()}`);
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  // never leave the server behind, even when the runner dies without running the teardown
  process.once('exit', () => server.kill('SIGKILL'));
  if (server.pid === undefined) throw new Error('could not start paperboy serve');
  process.env.PAPERBOY_E2E_SERVER_PID = String(server.pid);

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `paperboy serve exited (${server.exitCode ?? server.signalCode}) before answering:\n${output}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `paperboy serve did not answer on ${baseUrl} within ${STARTUP_TIMEOUT_MS} ms:\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.PAPERBOY_E2E_BASE_URL = baseUrl;
}

/** A loud notice and skipped tests; a failure instead when PAPERBOY_STRICT=1 (CI must never skip). */
function skip(reason: string, fix: string): void {
  if (process.env.PAPERBOY_STRICT === '1') {
    throw new Error(`browser tests cannot run: ${reason}; ${fix} (PAPERBOY_STRICT=1 forbids skipping)`);
  }
  console.warn(
    `\n!!! SKIPPED: ${reason}: the browser tests (test/e2e) do not run.\n!!! To run them, ${fix}.\n!!! Set PAPERBOY_STRICT=1 to make this a failure.\n`,
  );
  process.env.PAPERBOY_E2E_SKIP = reason;
}

/** A port that nothing listens on right now. */
async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}
