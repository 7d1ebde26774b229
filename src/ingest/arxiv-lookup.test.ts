import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { apiReplay } from '../../test/helpers/api-replay.ts';
import { fakeClock } from '../../test/helpers/clock.ts';
import { type Handler, type LocalServer, send, startLocalServer } from '../../test/helpers/local-server.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { loadConfig } from '../config.ts';
import { createArxivServices } from '../harvest/arxiv-services.ts';
import { createHarvestStore } from '../harvest/harvest.sqlite.ts';
import { silentLogger } from '../log.ts';
import { ArxivApiError, createArxivLookup } from './arxiv-lookup.ts';
import { createPoliteFetcher, FetchDeadlineError } from './polite-fetch.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(ctx: TestContext, override?: Handler) {
  const replay = apiReplay();
  if (!replay) ctx.skip();
  const server: LocalServer = await startLocalServer(override ?? replay!.handler);
  cleanups.push(() => server.close());
  const clock = fakeClock();
  const sentAt: number[] = [];
  const fetcher = createPoliteFetcher({
    userAgent: 'Paperboy/test',
    allowedHosts: [server.host],
    minIntervalMs: 3000,
    timeoutMs: 2000,
    maxBytes: 1_000_000,
    maxAttempts: 2,
    clock,
    log: silentLogger,
    fetch: (input, init) => {
      sentAt.push(clock.now());
      return fetch(input, init);
    },
  });
  const apiUrl = `${server.origin}/api/query`;
  return {
    server,
    clock,
    sentAt,
    fetcher,
    apiUrl,
    knownIds: replay!.knownIds,
    lookup: createArxivLookup({ fetcher, apiUrl }),
  };
}

describe('the arXiv API lookup', () => {
  it('finds papers by id in one id_list request and names the missing ones', async (ctx) => {
    const { lookup, server } = await setup(ctx);
    const result = await lookup.lookup(['1111.2011', 'astro-ph/0601001', 'cond-mat/0412498', '2501.99999']);
    expect(result.found.map((p) => p.id).sort()).toEqual([
      '1111.2011',
      'astro-ph/0601001',
      'cond-mat/0412498',
    ]);
    expect(result.missing).toEqual(['2501.99999']);
    expect(server.requests).toHaveLength(1);
    expect(Object.fromEntries(server.requests[0]!.url.searchParams)).toEqual({
      id_list: '1111.2011,astro-ph/0601001,cond-mat/0412498,2501.99999',
      start: '0',
      max_results: '4',
    });
  });

  it('batches a long list by 100 ids, 3 s apart', async (ctx) => {
    const { lookup, server, sentAt, knownIds } = await setup(ctx);
    const ids = [...knownIds, ...Array.from({ length: 150 }, (_, i) => `2501.${String(10000 + i)}`)];
    const result = await lookup.lookup(ids);
    expect(result.found).toHaveLength(knownIds.length);
    expect(server.requests.map((r) => r.url.searchParams.get('id_list')!.split(',').length)).toEqual([
      100,
      ids.length - 100,
    ]);
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(3000);
  });

  it('detects error feeds by their content, with HTTP 400 or 200, and unreadable answers', async (ctx) => {
    const { lookup } = await setup(ctx);
    await expect(lookup.lookup(['abc'])).rejects.toThrow(/arXiv API error: incorrect id format for abc/);
    const error200: Handler = (_q, res) =>
      send(
        res,
        200,
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#bad</id><title>Error</title><summary>max_results too large</summary></entry></feed>',
      );
    const other = await setup(ctx, error200);
    await expect(other.lookup.lookup(['2501.00001'])).rejects.toThrow(/max_results too large/);
    const html = await setup(ctx, (_q, res) => send(res, 404, '<html><body>Not found</body></html>'));
    await expect(html.lookup.lookup(['2501.00001'])).rejects.toThrow(ArxivApiError);
    await expect(html.lookup.lookup(['2501.00001'])).rejects.toThrow(/HTTP 404 with an unreadable body/);
  });
});

describe('addPapers (the lookup, stored through the import writer)', () => {
  let store: TestStore;
  afterEach(async () => {
    await store?.dispose();
  });

  it('stores what arXiv has, searchable at once; the same again changes nothing', async (ctx) => {
    const { fetcher, server, clock } = await setup(ctx);
    store = await createTestStore();
    const config = loadConfig({
      ARXIV_API_URL: `${server.origin}/api/query`,
      ARXIV_ALLOWED_HOSTS: `${server.host},oaipmh.arxiv.org`,
    });
    const arxiv = createArxivServices(config, silentLogger, createHarvestStore(store.sqlite), {
      fetcher,
      clock,
    });
    const first = await arxiv.addPapers(['1111.2011', '2501.99999']);
    expect(first).toEqual({
      stored: ['1111.2011'],
      missing: ['2501.99999'],
      counts: { inserted: 1, updated: 0, unchanged: 0 },
    });
    const hit = store.sqlite
      .prepare(
        "SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid WHERE papers_fts MATCH 'bethe'",
      )
      .pluck()
      .all();
    expect(hit).toEqual(['1111.2011']);
    expect((await arxiv.addPapers(['1111.2011'])).counts).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    // a person waiting: no slot within the wait means nothing is sent
    const sent = server.requests.length;
    await expect(arxiv.addPapers(['astro-ph/0601001'], { maxWaitMs: 1000 })).rejects.toThrow(
      FetchDeadlineError,
    );
    expect(server.requests).toHaveLength(sent);
  });
});
