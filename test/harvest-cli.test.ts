import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createApiToken, createUser } from '../src/users/users.store.ts';
import { RECORDED, recorded } from './helpers/arxiv-fixtures.ts';
import { childEnv, ROOT } from './helpers/cli.ts';
import { send, startLocalServer } from './helpers/local-server.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-harvest-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `paperboy harvest ARGS` in a child process; async, so a local server in this process can answer it. */
async function harvest(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(ROOT, 'bin/paperboy.js'), 'harvest', ...args], {
    cwd: dir,
    env: childEnv({ DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, DATA_DIR: dir, ...env }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { status, stdout, stderr };
}

describe('paperboy harvest', () => {
  it('refuses bad arguments with a message and exit code 2, contacting nobody', async () => {
    const server = await startLocalServer((_req, res) => send(res, 500, 'should not be asked'));
    const local = {
      ARXIV_OAI_URL: `${server.origin}/oai`,
      ARXIV_ALLOWED_HOSTS: `${server.host},export.arxiv.org`,
    };
    const cases: [string[], RegExp][] = [
      [['--from', '2025-13-01'], /--from must be a day written YYYY-MM-DD/],
      [['--until', '2025-01-01'], /--until needs --from/],
      [['--from', '2025-01-01', '--until', '2099-01-01'], /--until 2099-01-01 is in the future/],
      [['--set', 'cs,<script>'], /--set "<script>" is not an arXiv OAI set/],
    ];
    for (const [args, message] of cases) {
      const result = await harvest(args, local);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const config = await harvest([], { ...local, ARXIV_MIN_INTERVAL_SECONDS: '1' });
    expect(config.status).toBe(2);
    expect(config.stderr).toMatch(/ARXIV_MIN_INTERVAL_SECONDS: arXiv asks for at least 3 seconds/);
    await server.close();
    expect(server.requests).toEqual([]);
  });

  it('back-fills a range a week at a time, with progress and a summary; 403 exits with 3', async (ctx) => {
    const page = recorded(RECORDED.oaiArxiv);
    if (!page) ctx.skip();
    let forbid = false;
    const server = await startLocalServer((_req, res) =>
      forbid ? send(res, 403, 'no') : send(res, 200, page!),
    );
    try {
      const env = {
        ARXIV_OAI_URL: `${server.origin}/oai`,
        ARXIV_ALLOWED_HOSTS: server.host,
        ARXIV_API_URL: `${server.origin}/api`,
        HARVEST_SETS: 'physics:hep-th',
        HARVEST_METADATA_PREFIX: 'arXiv',
        ARXIV_CONTACT_EMAIL: 'admin@paperboy.test',
      };
      const result = await harvest(['--from', '2017-12-01', '--until', '2017-12-08'], env);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toContain('harvest: 2 list(s) to fetch');
      expect(result.stdout).toMatch(/Harvest run 1: ok/);
      expect(result.stdout).toMatch(/pages\s+2\b/);
      expect(result.stdout).toMatch(/inserted\s+3\b/);
      expect(server.requests.map((r) => r.url.searchParams.get('until'))).toEqual([
        '2017-12-07',
        '2017-12-08',
      ]);
      expect(server.requests[0]!.headers['user-agent']).toMatch(
        /^Paperboy\/[\d.]+ \(\+http:\/\/localhost:8080; mailto:admin@paperboy\.test\)$/,
      );

      forbid = true;
      const refused = await harvest(['--set', 'cs'], env);
      expect(refused.status).toBe(3);
      expect(refused.stdout).toMatch(/Harvest run 2: forbidden/);
      expect(refused.stdout).toMatch(/403 Forbidden/);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('serve starts the scheduled harvest when HARVEST_ENABLED, shows it on the admin page, and stops cleanly', async () => {
    const arxiv = await startLocalServer((_req, res) => send(res, 500, 'not yet'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    // the admin page is for admins: make one, with an API token to read it
    const adminStore = openStore(`sqlite:${join(dir, 'serve.db')}`);
    await migrateToLatest(adminStore);
    const admin = await createUser(adminStore.db, {
      username: 'root',
      email: 'root@paperboy.test',
      passwordHash: 'unusable',
      role: 'admin',
    });
    const token = await createApiToken(adminStore.db, admin.id, 'test');
    await adminStore.close();
    const child = spawn(process.execPath, [join(ROOT, 'bin/paperboy.js'), 'serve'], {
      cwd: dir,
      env: childEnv({
        DATABASE_URL: `sqlite:${join(dir, 'serve.db')}`,
        DATA_DIR: dir,
        PORT: String(port),
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        HARVEST_ENABLED: 'true',
        HARVEST_SCHEDULE: '04:30,16:00',
        ARXIV_OAI_URL: `${arxiv.origin}/oai`,
        ARXIV_ALLOWED_HOSTS: `${arxiv.host},export.arxiv.org`,
      }),
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let page: Response | null = null;
      for (let i = 0; i < 100 && !page; i++) {
        await new Promise((r) => setTimeout(r, 100));
        page = await fetch(`http://127.0.0.1:${port}/admin/harvest`, {
          headers: { authorization: `Bearer ${token}` },
        }).catch(() => null);
      }
      expect(page?.status).toBe(200);
      expect(await page!.text()).toContain('Scheduled at 04:30, 16:00 UTC; next run');
      expect(stderr).toContain('scheduled arXiv harvest on');
      // a fresh instance makes up its first harvest a minute after start, not at once
      expect(stderr).toContain('a scheduled run was missed; making it up shortly');
      expect(arxiv.requests).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await arxiv.close();
    }
  }, 60_000);
});
