/**
 * The harvest on whichever store runs the suite (vitest.config.ts: ON_BOTH_STORES): the same replayed OAI-PMH
 * list gives the same papers, deletions, state and run rows on SQLite and on PostgreSQL, resumes after a failed
 * page with nothing half-written, refuses a second live run, and leaves the harvested papers searchable.
 * run-harvest.test.ts covers the runner's rules in depth on SQLite.
 */
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import {
  PAGE1_TOKEN,
  PAGE2_TOKEN,
  SYNTHETIC,
  synthetic,
  threePageList,
} from '../../test/helpers/arxiv-fixtures.ts';
import { fakeClock } from '../../test/helpers/clock.ts';
import { startLocalServer } from '../../test/helpers/local-server.ts';
import { faults, oaiReplay, type ReplayList } from '../../test/helpers/oai-replay.ts';
import { count, createStoreUnderTest, rows, sql, TEST_ENGINE } from '../../test/helpers/store-under-test.ts';
import { createPoliteFetcher } from '../ingest/polite-fetch.ts';
import { silentLogger } from '../log.ts';
import { harvestStoreOf } from './arxiv-services.ts';
import { HarvestBusyError } from './harvest.store.ts';
import { type HarvestRequest, runHarvest } from './run-harvest.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function list(ctx: TestContext): ReplayList {
  const found = threePageList();
  if (!found) ctx.skip();
  return found as ReplayList;
}

async function harness(replayList: ReplayList) {
  const store = await createStoreUnderTest();
  const replay = oaiReplay(replayList);
  const server = await startLocalServer(replay.handler);
  cleanups.push(
    () => server.close(),
    () => store.dispose(),
  );
  const clock = fakeClock();
  const fetcher = createPoliteFetcher({
    userAgent: 'Paperboy/test (mailto:test@paperboy.test)',
    allowedHosts: [server.host],
    minIntervalMs: 3000,
    timeoutMs: 400,
    maxBytes: 1_000_000,
    maxAttempts: 3,
    clock,
    log: silentLogger,
  });
  const harvest = harvestStoreOf(store);
  const run = (request: Partial<HarvestRequest> = {}) =>
    runHarvest(
      { store: harvest, fetcher, clock, log: silentLogger },
      {
        oaiUrl: `${server.origin}/oai`,
        sets: ['cs'],
        metadataPrefix: 'arXivRaw',
        categories: [],
        initialDays: 3,
        maxBytes: 1_000_000,
      },
      { trigger: 'cli', ...request },
    );
  const papers = () => count(store, sql<{ n: number }>`SELECT count(*) AS n FROM papers`);
  const runs = () =>
    rows(
      store,
      sql<{ status: string; pages: number; inserted: number; errors: number }>`
        SELECT status, pages, inserted, errors FROM harvest_runs ORDER BY id`,
    ).then((r) =>
      r.map((x) => ({
        ...x,
        pages: Number(x.pages),
        inserted: Number(x.inserted),
        errors: Number(x.errors),
      })),
    );
  return { store, replay, harvest, run, papers, runs };
}

describe(`the harvest on ${TEST_ENGINE}`, () => {
  it('stores the pages, their deletions, where it stands and the run, then finds nothing new', async (ctx) => {
    const h = await harness(list(ctx));
    expect(await h.run()).toMatchObject({
      status: 'ok',
      pages: 3,
      records: 13,
      inserted: 11,
      updated: 1,
      unchanged: 0,
      deleted: 1,
      errors: 0,
    });
    expect(await h.papers()).toBe(11);
    expect(
      await rows(
        h.store,
        sql<{ version: number; title: string }>`SELECT version, title FROM papers WHERE id = '0704.0471'`,
      ),
    ).toEqual([
      {
        version: 2,
        title: 'Density dependence of the symmetry energy and the nuclear equation of state (revised)',
      },
    ]);
    expect(await rows(h.store, sql`SELECT paper_id, datestamp FROM arxiv_deletions`)).toEqual([
      { paper_id: '2503.00999', datestamp: '2025-03-18' },
    ]);
    expect(await h.harvest.loadState('daily', 'cs', 'arXivRaw')).toMatchObject({
      nextFrom: '2025-03-16',
      token: null,
      lastSuccessAt: '2025-03-19T04:30:06.000Z',
    });
    expect(await h.runs()).toEqual([{ status: 'ok', pages: 3, inserted: 11, errors: 0 }]);
    expect(await h.harvest.lastFinishedRun()).toMatchObject({ status: 'ok' });
    expect(await h.harvest.lastSuccessfulRunAt()).toBe('2025-03-19T04:30:06.000Z');

    // the harvested papers are in the search index at once
    const app = await createTestApp(h.store);
    const found = await app.request('/api/papers/search?q=clustered');
    expect(found.status).toBe(200);
    expect(((await found.json()) as { paper: { id: string } }[]).map((r) => r.paper.id)).toEqual([
      '2503.01234',
    ]);

    const again = await h.run();
    expect(again).toMatchObject({ status: 'ok', inserted: 0, updated: 0, unchanged: 12 });
    expect(await h.papers()).toBe(11);
  });

  it('fails a truncated page with nothing half-written, and the next run resumes with its token', async (ctx) => {
    const h = await harness(list(ctx));
    h.replay.inject(PAGE1_TOKEN, faults.truncated(synthetic(SYNTHETIC.oaiPage2)));
    const failed = await h.run();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/unreadable answer, nothing stored/);
    expect(await h.papers()).toBe(6);
    expect(await h.harvest.loadState('daily', 'cs', 'arXivRaw')).toMatchObject({
      token: PAGE1_TOKEN,
      pages: 1,
    });
    expect(await h.run()).toMatchObject({ status: 'ok', pages: 2, inserted: 5 });
    expect(h.replay.asked.slice(-2)).toEqual([PAGE1_TOKEN, PAGE2_TOKEN]);
    expect(await h.papers()).toBe(11);
    expect(await h.runs()).toEqual([
      { status: 'failed', pages: 1, inserted: 6, errors: 1 },
      { status: 'ok', pages: 2, inserted: 5, errors: 0 },
    ]);
  });

  it('refuses to start while another run is alive, and takes over from a dead one', async (ctx) => {
    const h = await harness(list(ctx));
    const alive = await h.harvest.beginRun({
      trigger: 'cli',
      sets: ['cs'],
      fromDay: null,
      untilDay: null,
      now: '2025-03-19T04:30:00.000Z',
    });
    // the row claims the parent process (alive, and not this one) on this host
    await sql`UPDATE harvest_runs SET pid = ${process.ppid} WHERE id = ${alive}`.execute(h.store.db);
    await expect(h.run()).rejects.toThrow(HarvestBusyError);
    // a process that no longer exists: its run is marked interrupted and the harvest goes ahead
    await sql`UPDATE harvest_runs SET pid = ${2 ** 22 + 12_345} WHERE id = ${alive}`.execute(h.store.db);
    expect(await h.run()).toMatchObject({ status: 'ok', inserted: 11 });
    expect((await h.runs()).map((r) => r.status)).toEqual(['interrupted', 'ok']);
  });
});
