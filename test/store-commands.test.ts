import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openStore, type Store } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { NO_FILTERS } from '../src/search/search.store.ts';
import { createSearchService } from '../src/search/search-service.ts';
import { createTestApp } from './helpers/app.ts';
import { childEnv, ROOT } from './helpers/cli.ts';
import { seedFeatures } from './helpers/factories.ts';
import { TestClient } from './helpers/session.ts';

/** `paperboy migrate-store` SQLite → PostgreSQL and `paperboy backup` on both (the "postgres" project only). */
const adminUrl = process.env.PAPERBOY_TEST_PG_URL;
let dir: string;
let target: string;
const BIN = join(ROOT, 'bin/paperboy.js');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-stores-'));
  if (!adminUrl) return;
  const name = `pb_copy_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  target = url.toString();
  // a SQLite instance with papers, features, members, votes, comments and a subscription
  const source = openStore(`sqlite:${join(dir, 'source.db')}`);
  await migrateToLatest(source);
  await seedFeatures(source, [
    { day: '2025-02-12', upvotes: 4, paper: { id: '2502.00001', title: 'Copied with care' } },
    { day: '2025-02-13', upvotes: 1, paper: { id: '2502.00002', title: 'Another one' } },
  ]);
  const app = await createTestApp(Object.assign(source, { dir }));
  const member = await new TestClient(app).signUp('carrier');
  await member.post('/papers/2502.00001/upvote', {});
  await member.post('/papers/2502.00001/comments', { body: 'Moving house.' });
  await member.post('/subscribe', { email: 'reader@example.org', frequency: 'weekly', count: '5' });
  await source.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const paperboy = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: childEnv({ DATA_DIR: dir, ...env }),
    encoding: 'utf8',
  });

/** The ids a search for `q` finds in the store, through the site's search service. */
const foundFor = async (store: Store, q: string) => {
  const search = createSearchService(store, { embedder: null });
  const found = await search.search({ q, filters: NO_FILTERS, sort: 'relevance', offset: 0, limit: 10 });
  return found.hits.map((h) => h.paper.id);
};

describe.runIf(adminUrl !== undefined)('moving up and backing up', () => {
  it('copies a SQLite instance into PostgreSQL, verified table by table, and serves it there', async () => {
    const copy = paperboy(['migrate-store', '--from', `sqlite:${join(dir, 'source.db')}`, '--to', target]);
    expect(copy.status, copy.stderr).toBe(0);
    expect(copy.stdout).toMatch(/papers\s+2\s+[0-9a-f]{16}\s+yes/);
    expect(copy.stdout).toMatch(/votes\s+1\s+[0-9a-f]{16}\s+yes/);
    expect(copy.stdout).toMatch(/comments\s+1\s+[0-9a-f]{16}\s+yes/);
    expect(copy.stdout).toContain('every table verified');
    const store = openPostgresStore(target);
    try {
      expect(await foundFor(store, 'copied')).toEqual(['2502.00001']);
      const app = await createTestApp(Object.assign(store, { dir }));
      const page = await (await app.request('/papers/2502.00001')).text();
      expect(page).toContain('Moving house.');
      expect(page).toMatch(/<span class="count">5<\/span>/);
      // the identity sequences continue after the copied ids
      const member = await new TestClient(app).signUp('newcomer');
      expect(await (await member.request('/u/newcomer')).text()).toContain('newcomer');
    } finally {
      await store.close();
    }
    const again = paperboy(['migrate-store', '--from', `sqlite:${join(dir, 'source.db')}`, '--to', target]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('the target already has papers');
  });

  it('backs up SQLite with its backup API and PostgreSQL with pg_dump', () => {
    const lite = paperboy(['backup', '--out', join(dir, 'b.db')], {
      DATABASE_URL: `sqlite:${join(dir, 'source.db')}`,
    });
    expect(lite.status, lite.stderr).toBe(0);
    const copy = new BetterSqlite3(join(dir, 'b.db'), { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM papers').get()).toEqual({ n: 2 });
    copy.close();
    const pgBackup = paperboy(['backup', '--out', join(dir, 'b.dump')], { DATABASE_URL: target });
    expect(pgBackup.status, pgBackup.stderr).toBe(0);
    expect(existsSync(join(dir, 'b.dump'))).toBe(true);
    const list = spawnSync('pg_restore', ['--list', join(dir, 'b.dump')], { encoding: 'utf8' });
    expect(list.stdout).toContain('TABLE public papers');
  });

  it('reindex on PostgreSQL rewrites every search vector in place, in batches, and search still finds', async () => {
    const store = openPostgresStore(target);
    try {
      const storage = await store.pool.query<{ s: string }>(
        "SELECT attstorage AS s FROM pg_attribute WHERE attrelid = 'papers'::regclass AND attname = 'search'",
      );
      expect(storage.rows).toEqual([{ s: 'm' }]); // MAIN: in the row (migration 0007)
      const before = await store.pool.query<{ x: string }>(
        "SELECT xmin::text AS x FROM papers WHERE id = '2502.00001'",
      );
      const reindex = paperboy(['reindex'], { DATABASE_URL: target });
      expect(reindex.status, reindex.stderr).toBe(0);
      expect(reindex.stdout).toContain('Papers rewritten (search vectors and row layout): 2 papers');
      const after = await store.pool.query<{ x: string }>(
        "SELECT xmin::text AS x FROM papers WHERE id = '2502.00001'",
      );
      expect(after.rows[0]!.x).not.toBe(before.rows[0]!.x); // the row was written again
      expect(await foundFor(store, 'copied')).toEqual(['2502.00001']);
      const embeddings = paperboy(['reindex', '--embeddings'], { DATABASE_URL: target });
      expect(embeddings.status).toBe(2);
      expect(embeddings.stderr).toContain('no embedding model is configured');
    } finally {
      await store.close();
    }
  });
});
