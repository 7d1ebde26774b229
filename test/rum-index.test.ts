import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { ensureRumIndex, type RumState } from '../src/db/rum.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { hasRumIndex } from '../src/search/rum.postgres.ts';
import { searchPapersPostgres } from '../src/search/search.postgres.ts';
import { NO_FILTERS } from '../src/search/search.store.ts';
import { paperRecord, seedPapers } from './helpers/factories.ts';

/**
 * The optional rum index (src/db/rum.ts; the "postgres" project only): made when the server can, and when it
 * cannot (here: a role that may not create extensions), a clear reason and a working search instead of an error.
 */
const admin = process.env.PAPERBOY_TEST_PG_URL!;
const suffix = randomBytes(4).toString('hex');
const names = {
  owner: `pb_rum_owner_${suffix}`,
  plain: `pb_rum_plain_${suffix}`,
  role: `pb_rum_role_${suffix}`,
};
let owner: PostgresStore;
let plain: PostgresStore;

async function asAdmin(statements: string[]) {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  for (const s of statements) await client.query(s);
  await client.end();
}

function urlOf(database: string, user?: string) {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  if (user) {
    url.username = user;
    url.password = 'not-a-secret';
  }
  return url.toString();
}

const papers = [
  paperRecord({
    id: '2403.00001',
    title: 'Sparse mixture of experts',
    abstract: 'Routing tokens to experts.',
  }),
  paperRecord({ id: '2403.00002', title: 'Dense models', abstract: 'No experts at all, only a mixture.' }),
];

beforeAll(async () => {
  await asAdmin([
    `CREATE DATABASE ${names.owner}`,
    `CREATE ROLE ${names.role} LOGIN PASSWORD 'not-a-secret'`,
    `CREATE DATABASE ${names.plain} OWNER ${names.role}`,
  ]);
  owner = openPostgresStore(urlOf(names.owner));
  plain = openPostgresStore(urlOf(names.plain, names.role));
});
afterAll(async () => {
  await owner?.close();
  await plain?.close();
  await asAdmin([
    `DROP DATABASE IF EXISTS ${names.owner} WITH (FORCE)`,
    `DROP DATABASE IF EXISTS ${names.plain} WITH (FORCE)`,
    `DROP ROLE IF EXISTS ${names.role}`,
  ]);
});

describe('the rum index', () => {
  it('is made after the migrations when asked, once, and searched through', async () => {
    const told: RumState[] = [];
    await migrateToLatest(owner, (s) => told.push(s));
    if (told.at(-1)?.state === 'unavailable') {
      if (process.env.PAPERBOY_STRICT === '1') throw new Error(`rum missing: ${JSON.stringify(told)}`);
      console.warn('\n!!! SKIPPED: the rum extension is not installed (postgresql-15-rum)\n');
      return;
    }
    expect(told.map((s) => s.state)).toEqual(['building', 'built']);
    expect(await ensureRumIndex(owner)).toEqual({ state: 'present' });
    expect(await hasRumIndex(owner)).toBe(true);
    await seedPapers(owner, papers);
    const found = await searchPapersPostgres(owner, {
      query: parseQuery('experts'),
      filters: NO_FILTERS,
      sort: 'relevance',
      offset: 0,
      limit: 10,
    });
    expect(found.hits.map((h) => h.paper.id).sort()).toEqual(['2403.00001', '2403.00002']);
  });

  it('is not made by a role that may not create extensions, which is told why, and search still works', async () => {
    const told: RumState[] = [];
    await migrateToLatest(plain, (s) => told.push(s));
    const last = told.at(-1)!;
    expect(last.state).toBe('unavailable');
    expect(last.state === 'unavailable' && last.message).toMatch(/rum.*GIN index/);
    expect(await hasRumIndex(plain)).toBe(false);
    await seedPapers(plain, papers);
    const found = await searchPapersPostgres(plain, {
      query: parseQuery('sparse experts'),
      filters: NO_FILTERS,
      sort: 'relevance',
      offset: 0,
      limit: 10,
    });
    expect(found.hits.map((h) => h.paper.id)).toEqual(['2403.00001']);
  });
});
