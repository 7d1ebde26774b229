import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { threePageList } from '../../test/helpers/arxiv-fixtures.ts';
import { fakeClock } from '../../test/helpers/clock.ts';
import { type LocalServer, startLocalServer } from '../../test/helpers/local-server.ts';
import { oaiReplay } from '../../test/helpers/oai-replay.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { createPoliteFetcher } from '../ingest/polite-fetch.ts';
import { silentLogger } from '../log.ts';
import { createHarvestStore } from './harvest.sqlite.ts';
import { runHarvest } from './run-harvest.ts';

let store: TestStore;
let server: LocalServer | null = null;
beforeAll(async () => {
  store = await createTestStore();
});
afterAll(async () => {
  await server?.close();
  await store.dispose();
});

describe('/new after a harvest', () => {
  it('lists the harvested papers, newest first, by category', async (ctx: TestContext) => {
    const list = threePageList();
    if (!list) ctx.skip();
    server = await startLocalServer(oaiReplay(list!).handler);
    const clock = fakeClock();
    const fetcher = createPoliteFetcher({
      userAgent: 'Paperboy/test',
      allowedHosts: [server.host],
      minIntervalMs: 3000,
      timeoutMs: 2000,
      maxBytes: 1_000_000,
      maxAttempts: 2,
      clock,
      log: silentLogger,
    });
    const summary = await runHarvest(
      { store: createHarvestStore(store.sqlite), fetcher, clock, log: silentLogger },
      {
        oaiUrl: `${server.origin}/oai`,
        sets: ['cs'],
        metadataPrefix: 'arXivRaw',
        categories: ['cs'],
        initialDays: 3,
      },
      { trigger: 'cli' },
    );
    expect(summary.inserted).toBe(4);
    const app = await createTestApp(store);
    const titles = async (path: string) =>
      [...(await (await app.request(path)).text()).matchAll(/<h3><a href="([^"]+)">/g)].map((m) => m[1]);
    // by first-version date, newest first; cross-listed papers appear under each of their categories
    expect(await titles('/new')).toEqual([
      '/papers/2503.01236',
      '/papers/2503.01235',
      '/papers/2503.01234',
      '/papers/2503.01237',
    ]);
    expect(await titles('/new?cat=cs.LG')).toEqual(['/papers/2503.01235', '/papers/2503.01234']);
    expect(await titles('/new?cat=stat.ML')).toEqual(['/papers/2503.01235']);
    expect(await titles('/new?cat=cs.AI')).toEqual(['/papers/2503.01237']);
  });
});
