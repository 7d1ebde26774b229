import { spawn } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createHarvestStore } from '../src/harvest/harvest.sqlite.ts';
import { runHarvest } from '../src/harvest/run-harvest.ts';
import { createPoliteFetcher } from '../src/ingest/polite-fetch.ts';
import { silentLogger } from '../src/log.ts';
import { PAGE1_TOKEN, PAGE2_TOKEN, SYNTHETIC, synthetic, threePageList } from './helpers/arxiv-fixtures.ts';
import { childEnv, ROOT } from './helpers/cli.ts';
import { fakeClock } from './helpers/clock.ts';
import { dumpHarvest } from './helpers/db-dump.ts';
import { startLocalServer } from './helpers/local-server.ts';
import { oaiReplay, withExpiry } from './helpers/oai-replay.ts';
import { createTestStore, type TestStore } from './helpers/store.ts';

const stores: TestStore[] = [];
afterAll(async () => {
  for (const store of stores) await store.dispose();
});

/** `paperboy harvest` as a child process (async: the replay server lives in this process). */
function harvestChild(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['bin/paperboy.js', 'harvest'], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('paperboy harvest under kill -9', () => {
  it('resumes at the last committed page and ends with the database of an uninterrupted run', {
    timeout: 90_000,
  }, async (ctx) => {
    // the new server's token must not have expired when the resumed run sends it
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const list = threePageList(withExpiry(synthetic(SYNTHETIC.oaiPage2), `${tomorrow}T00:00:00Z`));
    if (!list) ctx.skip();
    const replay = oaiReplay(list!);
    let page3Asked: () => void = () => undefined;
    const page3 = new Promise<void>((resolve) => {
      page3Asked = resolve;
    });
    // the first request for page 3 is held open: the process is killed while it waits
    replay.inject(PAGE2_TOKEN, () => page3Asked());
    const server = await startLocalServer(replay.handler);

    try {
      const crashed = await createTestStore();
      stores.push(crashed);
      await crashed.close();
      const dbPath = join(crashed.dir, 'paperboy.db');
      const env = childEnv({
        DATABASE_URL: `sqlite:${dbPath}`,
        DATA_DIR: crashed.dir,
        ARXIV_OAI_URL: `${server.origin}/oai`,
        ARXIV_ALLOWED_HOSTS: `${server.host},export.arxiv.org`,
        HARVEST_SETS: 'cs',
        LOG_FORMAT: 'json',
      });

      const first = harvestChild(env);
      await Promise.race([page3, first.exited]);
      expect(replay.asked, first.output().stderr).toEqual(['first', PAGE1_TOKEN, PAGE2_TOKEN]);
      first.child.kill('SIGKILL');
      await first.exited;

      // two whole pages, nothing of the third; the state points at the third page
      const db = new BetterSqlite3(dbPath);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')");
      expect(db.prepare('SELECT count(*) FROM papers').pluck().get()).toBe(9);
      expect(db.prepare('SELECT token, pages FROM harvest_state').get()).toEqual({
        token: PAGE2_TOKEN,
        pages: 2,
      });
      expect(db.prepare('SELECT status FROM harvest_runs').pluck().all()).toEqual(['running']);
      db.close();

      const second = harvestChild(env);
      expect(await second.exited, second.output().stderr).toBe(0);
      expect(replay.asked.slice(3)).toEqual([PAGE2_TOKEN]);
      expect(second.output().stdout).toMatch(/inserted\s+2\b/);

      // the same list, uninterrupted, in process (an injected clock skips the 3-second waits)
      const reference = await createTestStore();
      stores.push(reference);
      const clock = fakeClock(Date.now());
      const fetcher = createPoliteFetcher({
        userAgent: 'Paperboy/test',
        allowedHosts: [server.host],
        minIntervalMs: 3000,
        timeoutMs: 5000,
        maxBytes: 1_000_000,
        maxAttempts: 2,
        clock,
        log: silentLogger,
      });
      const clean = await runHarvest(
        { store: createHarvestStore(reference.sqlite), fetcher, clock, log: silentLogger },
        {
          oaiUrl: `${server.origin}/oai`,
          sets: ['cs'],
          metadataPrefix: 'arXivRaw',
          categories: [],
          initialDays: 3,
        },
        { trigger: 'cli' },
      );
      expect(clean.status).toBe('ok');
      expect(dumpHarvest(dbPath, { withClock: false })).toEqual(
        dumpHarvest(join(reference.dir, 'paperboy.db'), { withClock: false }),
      );
      const statuses = new BetterSqlite3(dbPath, { readonly: true });
      expect(statuses.prepare('SELECT status FROM harvest_runs ORDER BY id').pluck().all()).toEqual([
        'interrupted',
        'ok',
      ]);
      statuses.close();
    } finally {
      await server.close();
    }
  });
});
