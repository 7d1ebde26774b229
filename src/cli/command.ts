import { type Config, loadConfig } from '../config.ts';
import { openAnyStore, type Store } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { RumState } from '../db/rum.ts';
import { createLogger, type Logger } from '../log.ts';

/** A mistake in how a command was called: said in one line, exit code 2. */
export class UsageError extends Error {}

/** The configuration and logger every command starts from. */
export function setup(): { config: Config; log: Logger } {
  const config = loadConfig();
  return { config, log: createLogger(config) };
}

function tellRum(log: Logger, store: Store, rum: RumState): void {
  if (rum.state === 'unavailable') log.warn({ database: store.location }, rum.message);
  if (rum.state === 'building' && rum.papers > 10_000)
    log.info(
      { papers: rum.papers },
      'building the rum search index (once; about 2.5 minutes a million papers)',
    );
  if (rum.state === 'built') log.info({ papers: rum.papers, seconds: rum.seconds }, 'rum search index built');
}

/** Opens the configured store and brings it to the latest schema (and, asked, its optional indexes: rum.ts). */
export async function openMigrated(config: Config, log: Logger, searchIndexes = false): Promise<Store> {
  const store = openAnyStore(config.DATABASE_URL);
  const applied = await migrateToLatest(
    store,
    searchIndexes ? (rum) => tellRum(log, store, rum) : undefined,
    (index) =>
      log.warn(
        { index, database: store.location },
        'search index missing (an import was killed?): building it',
      ),
  );
  if (applied.length > 0) log.info({ applied, database: store.location }, 'database migrated');
  return store;
}

/** A command's body with the configured store, migrated, opened once and closed after, whatever happens. */
export async function withStore<T>(
  body: (store: Store, config: Config, log: Logger) => Promise<T>,
  /** checks made before the store is opened (a missing setting is said without touching the database) */
  before?: (config: Config) => void,
  /** also make the optional search indexes (`paperboy migrate`, as `serve` does) */
  searchIndexes = false,
): Promise<T> {
  const { config, log } = setup();
  before?.(config);
  const store = await openMigrated(config, log, searchIndexes);
  try {
    return await body(store, config, log);
  } finally {
    await store.close();
  }
}
