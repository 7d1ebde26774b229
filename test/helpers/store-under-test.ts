import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { it } from 'vitest';
import { openPostgresStore, openStore, type Store } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/** A store for a test file: SQLite by default; a fresh PostgreSQL database when PAPERBOY_TEST_STORE=postgres. */
export type StoreUnderTest = Store & {
  /** a folder for the test's files (outbox, reports), whatever the engine */
  dir: string;
  /** opens another connection to the same database, as a second process would */
  reopen(): Store;
  dispose(): Promise<void>;
};

export const TEST_ENGINE = process.env.PAPERBOY_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * A test of PostgreSQL alone inside a file that runs on both engines: registered only in the postgres project
 * (CI runs both), so the sqlite project does not list it as skipped.
 */
export function itOnPostgres(name: string, fn: () => Promise<void> | void, timeout?: number): void {
  if (TEST_ENGINE === 'postgres') it(name, fn, timeout);
}

/**
 * The store, service and API tests run once on SQLite and once on PostgreSQL (vitest.config.ts, project
 * "postgres"): each test file gets its own database, with the real migrations, dropped afterwards.
 */
export async function createStoreUnderTest(): Promise<StoreUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-test-'));
  if (TEST_ENGINE === 'sqlite') {
    const store = openStore(`sqlite:${join(dir, 'paperboy.db')}`);
    await migrateToLatest(store);
    return Object.assign(store, {
      dir,
      reopen: () => openStore(`sqlite:${join(dir, 'paperboy.db')}`),
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  const adminUrl = process.env.PAPERBOY_TEST_PG_URL;
  if (!adminUrl)
    throw new Error('PAPERBOY_TEST_PG_URL is not set: the postgres project needs a PostgreSQL server');
  const name = `pb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = openPostgresStore(url.toString());
  // with the optional rum index when the server has the extension, as `paperboy serve` makes it
  await migrateToLatest(store, () => {});
  return Object.assign(store, {
    dir,
    reopen: () => openPostgresStore(url.toString()),
    async dispose() {
      await store.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** Runs a query on either engine: `await rows(store, sql\`SELECT …\`)`. */
export async function rows<T>(store: Store, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(store.db)).rows;
}

/** The first row of a query, or undefined. */
export async function row<T>(store: Store, query: RawBuilder<T>): Promise<T | undefined> {
  return (await rows(store, query))[0];
}

/** A single number from a query such as `SELECT count(*) AS n …`. */
export async function count(store: Store, query: RawBuilder<{ n: number }>): Promise<number> {
  return Number((await row(store, query))?.n ?? 0);
}

export { sql };
