import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Store } from './connect.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { ensureRumIndex, type RumState } from './rum.ts';
import { ensureSearchIndexes, type SearchIndexName } from './search-indexes.postgres.ts';

/** The one list (migrations/index.ts), each entry's body for this store's engine. */
class ListedMigrations implements MigrationProvider {
  constructor(private readonly engine: Store['dialect']) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const engine = this.engine;
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [
        name,
        { up: (db) => (engine === 'postgres' ? m.postgres(db) : m.sqlite(db)) },
      ]),
    );
  }
}

/**
 * Brings the store to the latest schema. Runs on every start; a no-op when up to date. Given `onRum`, on
 * PostgreSQL it then makes the optional rum index when the server can (rum.ts), telling what it found: `serve`
 * asks, the import does not (a bulk load into a database without the index is faster; the next start makes it).
 * On PostgreSQL it also makes any missing GIN search index (a bulk import killed before re-creating them, D63),
 * calling `onSearchIndex` before each build.
 */
export async function migrateToLatest(
  store: Store,
  onRum?: (state: RumState) => void,
  onSearchIndex?: (name: SearchIndexName) => void,
): Promise<string[]> {
  if (store.dialect === 'sqlite') await renumberOldSqliteList(store);
  const migrator = new Migrator({ db: store.db, provider: new ListedMigrations(store.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (
    error &&
    !results?.some((r) => r.status === 'Error') &&
    code &&
    /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|28P01|3D000|28000)$/.test(code)
  ) {
    throw new DatabaseUnreachableError(
      `cannot reach the database at ${store.location}: ${(error as Error).message}`,
    );
  }
  const missing = /previously executed migration (\S+) is missing/.exec(
    String((error as Error | undefined)?.message),
  );
  if (missing) {
    throw new Error(
      `the database at ${store.location} was migrated by a newer Paperboy (it has migration ${missing[1]}, which this version does not know): upgrade Paperboy, or restore a backup`,
    );
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
  if (store.dialect === 'postgres') await ensureSearchIndexes(store.db, onSearchIndex);
  if (store.dialect === 'postgres' && onRum) onRum(await ensureRumIndex(store, onRum));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Before the one list (D54) SQLite numbered its own changes 0008_rate_limits and 0009_title_index, where
 * PostgreSQL had 0007_search_storage and 0008_row_layout. In the one list those are 0007–0010; a SQLite database
 * migrated by the old list gets its bookkeeping renamed, in one transaction, and the two PostgreSQL-only entries
 * (nothing to do on SQLite) recorded as done, so the Migrator sees the same history a new database would have.
 */
async function renumberOldSqliteList(store: Store): Promise<void> {
  const found = await sql<{ n: number }>`
    SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`.execute(
    store.db,
  );
  if (Number(found.rows[0]?.n ?? 0) === 0) return;
  await store.db.transaction().execute(async (trx) => {
    const old = await sql<{ name: string; timestamp: string }>`
      SELECT name, timestamp FROM kysely_migration WHERE name IN ('0008_rate_limits', '0009_title_index')
      ORDER BY name`.execute(trx);
    const rateLimits = old.rows.find((r) => r.name === '0008_rate_limits');
    if (!rateLimits) return;
    await sql`UPDATE kysely_migration SET name = '0010_title_index' WHERE name = '0009_title_index'`.execute(
      trx,
    );
    await sql`UPDATE kysely_migration SET name = '0009_rate_limits' WHERE name = '0008_rate_limits'`.execute(
      trx,
    );
    // the same timestamp as 0009: the Migrator orders equal timestamps by name, so 0007, 0008, 0009 in turn
    for (const name of ['0007_search_storage', '0008_row_layout']) {
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${name}, ${rateLimits.timestamp})`.execute(
        trx,
      );
    }
  });
}

/** The database could not be reached or logged into: a configuration problem, said in one line. */
export class DatabaseUnreachableError extends Error {}
