import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Store } from './connect.ts';
import { postgresMigrations } from './migrations/postgres/index.ts';
import { sqliteMigrations } from './migrations/sqlite/index.ts';

class ListedMigrations implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

/** Brings the store to the latest schema. Runs on every start; a no-op when up to date. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: new ListedMigrations(store.dialect === 'postgres' ? postgresMigrations : sqliteMigrations),
  });
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
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The database could not be reached or logged into: a configuration problem, said in one line. */
export class DatabaseUnreachableError extends Error {}
