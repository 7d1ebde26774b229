import { type Kysely, sql } from 'kysely';

/**
 * The arXiv harvest: where each set stands (so a crash or restart resumes at the last committed page), one row
 * per run (for the admin page), and the deletions arXiv announced. Every harvested page is committed in one
 * transaction with its papers, its state row and its run's counters (src/harvest/harvest.store.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE harvest_state (
      scope TEXT NOT NULL,
      set_spec TEXT NOT NULL,
      metadata_prefix TEXT NOT NULL,
      next_from TEXT,
      list_from TEXT,
      list_until TEXT,
      list_started TEXT,
      token TEXT,
      token_expires_at TEXT,
      pages INTEGER NOT NULL DEFAULT 0,
      last_success_at TEXT,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (scope, set_spec, metadata_prefix)
    ) WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE harvest_runs (
      id INTEGER PRIMARY KEY,
      trigger TEXT NOT NULL,
      status TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      heartbeat_at TEXT NOT NULL,
      pid INTEGER NOT NULL,
      host TEXT NOT NULL,
      sets TEXT NOT NULL,
      from_day TEXT,
      until_day TEXT,
      pages INTEGER NOT NULL DEFAULT 0,
      records INTEGER NOT NULL DEFAULT 0,
      inserted INTEGER NOT NULL DEFAULT 0,
      updated INTEGER NOT NULL DEFAULT 0,
      unchanged INTEGER NOT NULL DEFAULT 0,
      deleted INTEGER NOT NULL DEFAULT 0,
      filtered INTEGER NOT NULL DEFAULT 0,
      rejected INTEGER NOT NULL DEFAULT 0,
      errors INTEGER NOT NULL DEFAULT 0,
      error TEXT
    )`.execute(db);
  await sql`CREATE INDEX harvest_runs_started ON harvest_runs (started_at DESC)`.execute(db);
  await sql`CREATE INDEX harvest_runs_status ON harvest_runs (status)`.execute(db);
  await sql`
    CREATE TABLE arxiv_deletions (
      paper_id TEXT PRIMARY KEY,
      datestamp TEXT,
      first_seen_at TEXT NOT NULL
    )`.execute(db);
}
