import { Hono, type MiddlewareHandler } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { loadConfig } from '../config.ts';
import { paperFingerprint } from '../ingest/kaggle.ts';
import { silentLogger } from '../log.ts';
import type { AppEnv } from '../web/env.ts';
import { pageCache } from '../web/page-cache.ts';
import { siteFromConfig } from '../web/site.ts';
import { registerHarvestAdmin } from './admin-page.tsx';
import { createHarvestStore } from './harvest.sqlite.ts';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});
afterAll(async () => {
  await store.dispose();
});

const passThrough: MiddlewareHandler<AppEnv> = async (_c, next) => {
  await next();
};

function adminApp(
  now: string,
  guard: MiddlewareHandler<AppEnv> = passThrough,
  env: Record<string, string> = {},
) {
  const config = loadConfig({ DATA_DIR: store.dir, BASE_URL: 'http://paperboy.test', ...env });
  const deps = { store, config, log: silentLogger, site: siteFromConfig(config) };
  const app = new Hono<AppEnv>();
  app.use(pageCache({ version: store.dataVersion, maxBytes: 1_000_000 }));
  registerHarvestAdmin(app, deps, guard, () => Date.parse(now));
  return app;
}

/** A run that stored `inserted` new papers at `at`, ending with `status`. */
async function recordRun(
  at: string,
  inserted: number,
  status: 'ok' | 'failed' | 'forbidden',
  error: string | null = null,
) {
  const harvest = createHarvestStore(store.sqlite);
  const runId = await harvest.beginRun({
    trigger: 'schedule',
    sets: ['cs'],
    fromDay: null,
    untilDay: null,
    now: at,
  });
  const items = Array.from({ length: inserted }, () => {
    const record = paperRecord();
    return { record, fingerprint: paperFingerprint(record) };
  });
  await harvest.commitPage({
    runId,
    items,
    deletions: [],
    counts: { records: inserted, filtered: 0, rejected: 0 },
    state: {
      scope: 'daily',
      setSpec: 'cs',
      metadataPrefix: 'arXivRaw',
      nextFrom: at.slice(0, 10),
      listFrom: null,
      listUntil: null,
      listStarted: null,
      token: null,
      tokenExpiresAt: null,
      pages: 0,
      lastSuccessAt: at,
    },
    removeState: false,
    now: at,
  });
  if (error) await harvest.noteError(runId, error);
  await harvest.finishRun(runId, status, at, error);
}

describe('/admin/harvest', () => {
  it('with no run yet, says so and when the next one is', async () => {
    const res = await adminApp('2025-03-19T05:00:00Z').request('/admin/harvest');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('No harvest has run yet');
    expect(html).toContain('next run 2025-03-20 04:30 UTC');
    expect(html).not.toContain('role="alert"');
  });

  it('lists runs with their counts and warns after two announcement days without new papers', async () => {
    await recordRun('2025-03-10T04:31:00Z', 7, 'ok');
    await recordRun(
      '2025-03-11T04:31:00Z',
      0,
      'failed',
      'set cs, page 1: arXiv unavailable after 6 attempts: HTTP 503',
    );
    const quiet = await (await adminApp('2025-03-11T12:00:00Z').request('/admin/harvest')).text();
    expect(quiet).not.toContain('No new papers for');
    const html = await (await adminApp('2025-03-12T12:00:00Z').request('/admin/harvest')).text();
    expect(html).toContain('No new papers for 2 arXiv announcement days');
    expect(html).toContain('(the last arrived 2025-03-10 04:31 UTC)');
    expect(html).toContain('arXiv unavailable after 6 attempts: HTTP 503');
    const rows = [...html.matchAll(/<tr><td class="num">(\d+)<\/td><td>(\w+)<\/td><td>(\w+)<\/td>/g)].map(
      (m) => m.slice(1),
    );
    expect(rows).toEqual([
      ['2', 'schedule', 'failed'],
      ['1', 'schedule', 'ok'],
    ]);
    expect(html).toMatch(/<td class="num">1<\/td><td class="num">7<\/td><td class="num">7<\/td>/);
  });

  it('shows the 403 alert', async () => {
    await recordRun('2025-03-14T04:31:00Z', 0, 'forbidden', 'arXiv answered 403 Forbidden');
    const html = await (await adminApp('2025-03-14T05:00:00Z').request('/admin/harvest')).text();
    expect(html).toContain('arXiv answered 403 Forbidden</strong> on run 3');
  });

  it('is never served from the page cache past its guard', async () => {
    const guard: MiddlewareHandler = async (c, next) => {
      if (c.req.header('x-test-allow') !== 'yes') return c.text('refused', 403);
      await next();
    };
    const app = adminApp('2025-03-19T05:00:00Z', guard);
    const allowed = await app.request('/admin/harvest', { headers: { 'x-test-allow': 'yes' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('cache-control')).toBe('no-store');
    expect((await app.request('/admin/harvest')).status).toBe(403);
  });
});

describe('the guard of app.tsx', () => {
  it('lets admins in and nobody else', async () => {
    const app = await createTestApp(store);
    const anonymous = await app.request('/admin/harvest');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login?next=%2Fadmin%2Fharvest');
    const admin = await new TestClient(app).signUp('harvest-admin');
    const member = await new TestClient(app).signUp('harvest-member');
    expect((await member.request('/admin/harvest')).status).toBe(403);
    const page = await admin.request('/admin/harvest');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>arXiv harvest</h1>');
  });
});
