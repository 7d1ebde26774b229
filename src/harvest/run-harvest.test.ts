import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import {
  PAGE1_TOKEN,
  PAGE2_TOKEN,
  RECORDED,
  recorded,
  SYNTHETIC,
  synthetic,
  threePageList,
} from '../../test/helpers/arxiv-fixtures.ts';
import { fakeClock } from '../../test/helpers/clock.ts';
import { dumpHarvest } from '../../test/helpers/db-dump.ts';
import { type LocalServer, startLocalServer } from '../../test/helpers/local-server.ts';
import { faults, oaiReplay, type ReplayList } from '../../test/helpers/oai-replay.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { createPoliteFetcher } from '../ingest/polite-fetch.ts';
import { silentLogger } from '../log.ts';
import { createHarvestStore } from './harvest.sqlite.ts';
import { HarvestBusyError } from './harvest.store.ts';
import { type HarvestRequest, type HarvestSettings, runHarvest } from './run-harvest.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function harness(list: ReplayList, settings: Partial<HarvestSettings> = {}) {
  const store: TestStore = await createTestStore();
  const replay = oaiReplay(list);
  const server: LocalServer = await startLocalServer(replay.handler);
  cleanups.push(
    () => server.close(),
    () => store.dispose(),
  );
  const clock = fakeClock();
  const sentAt: number[] = [];
  const fetcher = createPoliteFetcher({
    userAgent: 'Paperboy/test (mailto:test@paperboy.test)',
    allowedHosts: [server.host],
    minIntervalMs: 3000,
    timeoutMs: 400,
    maxBytes: 1_000_000,
    maxAttempts: 3,
    clock,
    log: silentLogger,
    fetch: (input, init) => {
      sentAt.push(clock.now());
      return fetch(input, init);
    },
  });
  const harvest = createHarvestStore(store.sqlite);
  const run = (request: Partial<HarvestRequest> = {}) =>
    runHarvest(
      { store: harvest, fetcher, clock, log: silentLogger },
      {
        oaiUrl: `${server.origin}/oai`,
        sets: ['cs'],
        metadataPrefix: 'arXivRaw',
        categories: [],
        initialDays: 3,
        ...settings,
      },
      { trigger: 'cli', ...request },
    );
  const dump = (withClock = false) => dumpHarvest(join(store.dir, 'paperboy.db'), { withClock });
  const count = (sql: string) => (store.sqlite.prepare(sql).get() as { n: number }).n;
  return { store, replay, server, clock, sentAt, run, harvest, dump, count };
}

function list(ctx: TestContext): ReplayList {
  const found = threePageList();
  if (!found) ctx.skip();
  return found as ReplayList;
}

/** The database an uninterrupted harvest of the three-page list leaves. */
async function cleanDump(ctx: TestContext) {
  const h = await harness(list(ctx));
  expect((await h.run()).status).toBe('ok');
  return h.dump();
}

describe('runHarvest over a replayed three-page list', () => {
  it('pages with tokens, stores papers with their index, records deletions and where it stands', async (ctx) => {
    const h = await harness(list(ctx));
    const summary = await h.run();
    expect(summary).toMatchObject({
      status: 'ok',
      pages: 3,
      records: 13,
      inserted: 11,
      updated: 1,
      unchanged: 0,
      deleted: 1,
      rejected: 0,
      errors: 0,
    });
    // the first request starts the list; later ones carry only the token (README rule 8)
    const params = h.server.requests.map((r) => Object.fromEntries(r.url.searchParams));
    expect(params).toEqual([
      { verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs', from: '2025-03-16' },
      { verb: 'ListRecords', resumptionToken: PAGE1_TOKEN },
      { verb: 'ListRecords', resumptionToken: PAGE2_TOKEN },
    ]);
    for (let i = 1; i < h.sentAt.length; i++)
      expect(h.sentAt[i]! - h.sentAt[i - 1]!).toBeGreaterThanOrEqual(3000);
    expect(h.count('SELECT count(*) n FROM papers')).toBe(11);
    expect(h.count('SELECT count(*) n FROM papers_fts_docsize')).toBe(11);
    h.store.sqlite.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')");
    const found = h.store.sqlite
      .prepare(
        "SELECT p.id FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH 'clustered'",
      )
      .all();
    expect(found).toEqual([{ id: '2503.01234' }]);
    const revised = h.store.sqlite.prepare("SELECT version, title FROM papers WHERE id = '0704.0471'").get();
    expect(revised).toEqual({
      version: 2,
      title: 'Density dependence of the symmetry energy and the nuclear equation of state (revised)',
    });
    expect(h.dump().deletions).toEqual([{ paper_id: '2503.00999', datestamp: '2025-03-18' }]);
    expect(await h.harvest.loadState('daily', 'cs', 'arXivRaw')).toMatchObject({
      nextFrom: '2025-03-16',
      token: null,
      listFrom: null,
      lastSuccessAt: '2025-03-19T04:30:06.000Z',
    });
    const run = h.store.sqlite.prepare('SELECT * FROM harvest_runs').get();
    expect(run).toMatchObject({ status: 'ok', pages: 3, records: 13, inserted: 11, updated: 1, deleted: 1 });
  });

  it('is idempotent: the same days again change nothing, to the byte', async (ctx) => {
    const h = await harness(list(ctx));
    await h.run();
    // papers keep even their modified_at; only the state's "last success" time moves
    const snapshot = () => ({ ...h.dump(true), state: h.dump(false).state });
    const before = snapshot();
    const again = await h.run();
    expect(again).toMatchObject({ status: 'ok', inserted: 0, updated: 0, unchanged: 12, deleted: 1 });
    expect(snapshot()).toEqual(before);
  });

  it('keeps only the configured categories (archives match their categories)', async (ctx) => {
    const h = await harness(list(ctx), { categories: ['cs', 'stat.ML'] });
    const summary = await h.run();
    expect(summary).toMatchObject({ inserted: 4, filtered: 8 });
    const ids = h.store.sqlite.prepare('SELECT id FROM papers ORDER BY id').pluck().all();
    expect(ids).toEqual(['2503.01234', '2503.01235', '2503.01236', '2503.01237']);
  });

  it('takes noRecordsMatch as an empty day and moves on', async (ctx) => {
    const none = recorded(RECORDED.oaiNoRecords);
    if (!none) ctx.skip();
    const h = await harness({ first: none!, byToken: {} });
    expect(await h.run()).toMatchObject({ status: 'ok', pages: 1, records: 0, errors: 0 });
    expect((await h.harvest.loadState('daily', 'cs', 'arXivRaw'))?.lastSuccessAt).not.toBeNull();
  });

  it('rides out 503 Retry-After, 429, a timeout and a reset connection, ending as a clean run', async (ctx) => {
    const clean = await cleanDump(ctx);
    const h = await harness(list(ctx));
    h.replay.inject('first', faults.silence());
    h.replay.inject(PAGE1_TOKEN, faults.status(503, { 'retry-after': '7' }));
    h.replay.inject(PAGE1_TOKEN, faults.reset());
    h.replay.inject(PAGE2_TOKEN, faults.status(429));
    const summary = await h.run();
    expect(summary).toMatchObject({ status: 'ok', errors: 0, pages: 3 });
    expect(h.replay.asked).toEqual([
      'first',
      'first',
      PAGE1_TOKEN,
      PAGE1_TOKEN,
      PAGE1_TOKEN,
      PAGE2_TOKEN,
      PAGE2_TOKEN,
    ]);
    expect(h.clock.sleeps).toContain(7000);
    expect(h.dump()).toEqual(clean);
  });

  it('fails a truncated page with nothing half-written, and the next run resumes with its token', async (ctx) => {
    const clean = await cleanDump(ctx);
    const h = await harness(list(ctx));
    h.replay.inject(PAGE1_TOKEN, faults.truncated(synthetic(SYNTHETIC.oaiPage2)));
    const failed = await h.run();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(
      /set cs, page 2 of the list from 2025-03-16: HTTP 200, unreadable answer, nothing stored: malformed or truncated XML/,
    );
    expect(h.count('SELECT count(*) n FROM papers')).toBe(6);
    expect(await h.harvest.loadState('daily', 'cs', 'arXivRaw')).toMatchObject({
      token: PAGE1_TOKEN,
      pages: 1,
      // old-server tokens carry no expiry: taken to expire at the next 00:00 UTC (README rule 8)
      tokenExpiresAt: '2025-03-20T00:00:00.000Z',
    });
    const resumed = await h.run();
    expect(resumed).toMatchObject({ status: 'ok', pages: 2, inserted: 5 });
    expect(h.replay.asked.slice(-2)).toEqual([PAGE1_TOKEN, PAGE2_TOKEN]);
    expect(h.dump()).toEqual(clean);
    const runs = h.store.sqlite.prepare('SELECT status, errors FROM harvest_runs ORDER BY id').all();
    expect(runs).toEqual([
      { status: 'failed', errors: 1 },
      { status: 'ok', errors: 0 },
    ]);
  });

  it('restarts the list from its first day on badResumptionToken, and on a token past its expiry', async (ctx) => {
    const clean = await cleanDump(ctx);
    const h = await harness(list(ctx));
    const bad = recorded(RECORDED.oaiBadToken)!;
    h.replay.inject(PAGE1_TOKEN, faults.body(bad));
    expect(await h.run()).toMatchObject({ status: 'ok', errors: 0 });
    expect(h.replay.asked).toEqual(['first', PAGE1_TOKEN, 'first', PAGE1_TOKEN, PAGE2_TOKEN]);
    expect(h.dump()).toEqual(clean);

    // a list stopped on page 3 with the new server's token (expires 2025-03-20), resumed two days later
    const late = await harness(list(ctx));
    late.replay.inject(PAGE2_TOKEN, faults.status(500), 3);
    expect((await late.run()).status).toBe('failed');
    expect((await late.harvest.loadState('daily', 'cs', 'arXivRaw'))?.tokenExpiresAt).toBe(
      '2025-03-20T00:00:00.000Z',
    );
    late.clock.set(Date.parse('2025-03-21T04:30:00Z'));
    expect(await late.run()).toMatchObject({ status: 'ok' });
    const restart = late.server.requests.at(-3)!.url.searchParams;
    expect(Object.fromEntries(restart)).toEqual({
      verb: 'ListRecords',
      metadataPrefix: 'arXivRaw',
      set: 'cs',
      from: '2025-03-16',
    });
    expect(late.dump()).toEqual(clean);
  });

  it('a second badResumptionToken in one run fails the set instead of looping', async (ctx) => {
    const h = await harness(list(ctx));
    h.replay.inject(PAGE1_TOKEN, faults.body(recorded(RECORDED.oaiBadToken)!), 2);
    const summary = await h.run();
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/OAI-PMH error badResumptionToken/);
  });

  it('stops everything on 403 and says so; other failures fail one set and the next set still runs', async (ctx) => {
    const h = await harness(list(ctx), { sets: ['cs', 'stat:stat:ML'] });
    h.replay.inject(PAGE1_TOKEN, faults.status(403));
    const forbidden = await h.run();
    expect(forbidden.status).toBe('forbidden');
    expect(forbidden.error).toMatch(/403 Forbidden.*stopped until someone checks/);
    expect(h.server.requests.map((r) => r.url.searchParams.get('set'))).toEqual(['cs', null]);
    expect((await h.harvest.lastFinishedRun())?.status).toBe('forbidden');

    const other = await harness(list(ctx), { sets: ['cs', 'stat:stat:ML'] });
    other.replay.inject('first', faults.status(502), 3);
    const failed = await other.run();
    expect(failed).toMatchObject({ status: 'failed', errors: 1, pages: 3 });
    expect(failed.error).toMatch(/unavailable after 3 attempts: HTTP 502/);
    expect(
      (await other.harvest.loadState('daily', 'stat:stat:ML', 'arXivRaw'))?.lastSuccessAt,
    ).not.toBeNull();
    expect(await other.harvest.loadState('daily', 'cs', 'arXivRaw')).toBeNull();
  });

  it('stops between pages when asked, keeping what is committed', async (ctx) => {
    const h = await harness(list(ctx));
    const controller = new AbortController();
    const summary = await h.run({
      signal: controller.signal,
      progress: { start() {}, update: () => controller.abort(), stop() {} },
    });
    expect(summary).toMatchObject({ status: 'stopped', pages: 1 });
    expect((await h.harvest.loadState('daily', 'cs', 'arXivRaw'))?.token).toBe(PAGE1_TOKEN);
  });
});

describe('runHarvest: back-fill and runs', () => {
  it('walks a range a week at a time with until, then forgets the range', async (ctx) => {
    const page = recorded(RECORDED.oaiArxiv);
    if (!page) ctx.skip();
    const h = await harness({ first: page!, byToken: {} }, { metadataPrefix: 'arXiv' });
    const updates: number[] = [];
    let total = 0;
    const summary = await h.run({
      trigger: 'backfill',
      from: '2025-03-01',
      until: '2025-03-10',
      progress: { start: (n) => (total = n), update: (units) => updates.push(units), stop() {} },
    });
    expect(summary).toMatchObject({ status: 'ok', pages: 2, inserted: 3, unchanged: 3 });
    expect(
      h.server.requests.map((r) => [r.url.searchParams.get('from'), r.url.searchParams.get('until')]),
    ).toEqual([
      ['2025-03-01', '2025-03-07'],
      ['2025-03-08', '2025-03-10'],
    ]);
    expect(total).toBe(2);
    expect(updates.at(-1)).toBe(2);
    expect(h.dump().state).toEqual([]);
    await expect(h.run({ from: '2025-03-10', until: '2025-03-01' })).rejects.toThrow(/after --until/);
    await expect(h.run({ from: '2004-01-01', until: '2004-02-01' })).rejects.toThrow(/earliest datestamp/);
    await expect(h.run({ from: '2025-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(h.run({ from: '2025-03-01', until: '2099-01-01' })).rejects.toThrow(/future/);
  });

  it('refuses to start beside a live run, and takes over the run of a dead process', async (ctx) => {
    const h = await harness(list(ctx));
    const insert = h.store.sqlite.prepare(
      `INSERT INTO harvest_runs (trigger, status, started_at, heartbeat_at, pid, host, sets)
       VALUES ('cli', 'running', '2025-03-19T04:00:00Z', '2025-03-19T04:00:00Z', ?, ?, 'cs')`,
    );
    const { hostname } = await import('node:os');
    insert.run(process.ppid, hostname());
    await expect(h.run()).rejects.toThrow(HarvestBusyError);
    h.store.sqlite.exec("DELETE FROM harvest_runs WHERE status = 'running'");
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    insert.run(dead, hostname());
    expect((await h.run()).status).toBe('ok');
    const statuses = h.store.sqlite.prepare('SELECT status FROM harvest_runs ORDER BY id').pluck().all();
    expect(statuses).toEqual(['interrupted', 'ok']);
  });
});
