import { type Kysely, sql } from 'kysely';

/**
 * Rate-limit windows in the database, for `serve` with several web processes on one SQLite file
 * (WEB_PROCESSES > 1): every process then counts the same events (src/web/limits.ts DatabaseRateLimiter, as on
 * PostgreSQL since its 0003). One process keeps its counters in memory and leaves this table empty.
 * (Named 0008_rate_limits in the databases of the two lists before D54: src/db/migrate.ts renames it.)
 */
export async function sqlite(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE rate_limits (
      key TEXT PRIMARY KEY,
      window_start INTEGER NOT NULL,
      count INTEGER NOT NULL
    ) WITHOUT ROWID`.execute(db);
}

/** PostgreSQL: nothing to do; its rate_limits table came with 0003_members. */
export async function postgres(): Promise<void> {}
