import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiReplay } from '../../test/helpers/api-replay.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { fakeClock } from '../../test/helpers/clock.ts';
import { type LocalServer, send, startLocalServer } from '../../test/helpers/local-server.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { loadConfig } from '../config.ts';
import { createArxivServices } from '../harvest/arxiv-services.ts';
import { createHarvestStore } from '../harvest/harvest.sqlite.ts';
import { createPoliteFetcher } from '../ingest/polite-fetch.ts';
import { silentLogger } from '../log.ts';

let store: TestStore;
let server: LocalServer;
let mode: 'replay' | 'down' = 'replay';

beforeAll(async () => {
  store = await createTestStore();
  const replay = apiReplay();
  server = await startLocalServer((req, res, url) => {
    if (mode === 'down') return send(res, 500, 'down');
    if (!replay) return send(res, 200, '<feed xmlns="http://www.w3.org/2005/Atom"/>');
    return replay.handler(req, res, url);
  });
});
afterAll(async () => {
  await server.close();
  await store.dispose();
});

/** The real app with arXiv lookups against the local server; a fake clock skips the 3-second spacing. */
async function appWithArxiv(env: Record<string, string> = {}) {
  const config = loadConfig({
    DATA_DIR: store.dir,
    BASE_URL: 'http://paperboy.test',
    WEB_PROCESSES: '1', // one process in a test: rate limits in memory
    ARXIV_API_URL: `${server.origin}/api/query`,
    ARXIV_ALLOWED_HOSTS: `${server.host},oaipmh.arxiv.org`,
    ...env,
  });
  const clock = fakeClock();
  const fetcher = createPoliteFetcher({
    userAgent: 'Paperboy/test',
    allowedHosts: config.ARXIV_ALLOWED_HOSTS,
    minIntervalMs: 3000,
    timeoutMs: 2000,
    maxBytes: 1_000_000,
    maxAttempts: 2,
    backoffBaseMs: 5000,
    clock,
    log: silentLogger,
  });
  const arxiv = createArxivServices(config, silentLogger, createHarvestStore(store.sqlite), {
    fetcher,
    clock,
  });
  return createTestApp(
    store,
    {
      ARXIV_API_URL: config.ARXIV_API_URL,
      ARXIV_ALLOWED_HOSTS: env.ARXIV_ALLOWED_HOSTS ?? `${server.host},oaipmh.arxiv.org`,
      ...env,
    },
    { arxiv },
  );
}

function add(
  app: Awaited<ReturnType<typeof appWithArxiv>>,
  id: string | null,
  headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' },
) {
  const body = new URLSearchParams(id === null ? {} : { id });
  return app.request('/papers/add', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

describe('"Add this paper" on a missing paper page', () => {
  it('offers the form only when lookups are on and the id is valid', async () => {
    const withArxiv = await (await appWithArxiv()).request('/papers/1111.2011');
    expect(withArxiv.status).toBe(404);
    const html = await withArxiv.text();
    expect(html).toContain('<form method="post" action="/papers/add" class="inline">');
    expect(html).toContain('<input type="hidden" name="id" value="1111.2011"/>');
    expect(await (await (await createTestApp(store)).request('/papers/1111.2011')).text()).not.toContain(
      '/papers/add',
    );
    expect((await add(await createTestApp(store), '1111.2011')).status).toBe(404);
  });

  it('looks the paper up, stores it and redirects to its page; a second time asks arXiv nothing', async () => {
    const app = await appWithArxiv();
    const res = await add(app, 'https://arxiv.org/abs/1111.2011v2');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/papers/1111.2011');
    const page = await app.request('/papers/1111.2011');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Quantum Criticality for Extended Nodes on a Bethe Lattice');
    const asked = server.requests.length;
    expect((await add(app, '1111.2011', { origin: 'http://paperboy.test' })).status).toBe(303);
    expect(server.requests).toHaveLength(asked);
  });

  it('says when arXiv has no such paper, or cannot be asked', async () => {
    const app = await appWithArxiv();
    const missing = await add(app, '2501.99999');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('arXiv returned nothing for 2501.99999');
    mode = 'down';
    try {
      const down = await add(app, '2501.99998');
      expect(down.status).toBe(502);
      expect(await down.text()).toContain('arXiv could not be asked');
    } finally {
      mode = 'replay';
    }
    expect(store.sqlite.prepare("SELECT count(*) FROM papers WHERE id LIKE '2501.9999%'").pluck().get()).toBe(
      0,
    );
  });

  it('refuses cross-site posts before anything else', async () => {
    const app = await appWithArxiv();
    const asked = server.requests.length;
    for (const headers of [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site', origin: 'http://paperboy.test' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      {},
    ] as Record<string, string>[]) {
      const res = await add(app, 'astro-ph/0601001', headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    expect(server.requests).toHaveLength(asked);
  });

  it('answers bad input with a 4xx and a clear message, never a 500', async () => {
    const app = await appWithArxiv();
    const cases: [string | null, number, string][] = [
      [null, 400, 'Give the arXiv id of a paper'],
      ['   ', 400, 'Give the arXiv id of a paper'],
      ['abc', 400, 'is not an arXiv id'],
      ['<script>alert(1)</script>', 400, '&lt;script&gt;'],
      ['https://evil.example/abs/2501.00001', 400, 'evil.example is not an arXiv'],
      ['x'.repeat(3000), 400, 'too long'],
      ['y'.repeat(5000), 413, 'one arXiv id'],
    ];
    for (const [id, status, text] of cases) {
      const res = await add(app, id);
      expect(res.status, String(id).slice(0, 30)).toBe(status);
      expect(await res.text()).toContain(text);
    }
    const json = await app.request('/papers/add', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: '{"id":"1111.2011"}',
    });
    expect(json.status).toBe(400);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const res = await add(app, text);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });

  it('rate-limits per client address with 429 and Retry-After', async () => {
    const app = await appWithArxiv({ ADD_PAPER_LIMIT_PER_HOUR: '2' });
    expect((await add(app, '1111.2011')).status).toBe(303);
    expect((await add(app, '1111.2011')).status).toBe(303);
    const limited = await add(app, '1111.2011');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3600');
  });
});
