import { type Kysely, sql } from 'kysely';

/**
 * Rate-limit windows in the database, for `serve` with several web processes on one SQLite file
 * (WEB_PROCESSES > 1): every process then counts the same events (src/web/limits.ts DatabaseRateLimiter, as on
 * PostgreSQL since its 0003). One process keeps its counters in memory and leaves this table empty.
 * (0007 is PostgreSQL's only: where its search vector is stored.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE rate_limits (
      key TEXT PRIMARY KEY,
      window_start INTEGER NOT NULL,
      count INTEGER NOT NULL
    ) WITHOUT ROWID`.execute(db);
}
