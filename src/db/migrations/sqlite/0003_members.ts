import { type Kysely, sql } from 'kysely';

/**
 * Members and what they do: accounts, sessions, API tokens, password resets, upvotes, comments, member
 * submissions, moderation (hidden papers, bans, an append-only log), and the instance's settings (its secret).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      username TEXT NOT NULL,
      email TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'admin')),
      show_upvotes INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      banned_at TEXT
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX users_username ON users (lower(username))`.execute(db);
  await sql`CREATE UNIQUE INDEX users_email ON users (lower(email))`.execute(db);
  await sql`
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX sessions_user ON sessions (user_id)`.execute(db);
  await sql`
    CREATE TABLE api_tokens (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      last_used_at TEXT,
      revoked_at TEXT
    )`.execute(db);
  await sql`CREATE INDEX api_tokens_user ON api_tokens (user_id)`.execute(db);
  await sql`
    CREATE TABLE password_resets (
      token_hash TEXT PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      used_at TEXT
    )`.execute(db);
  await sql`
    CREATE TABLE votes (
      user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (user_id, paper_id)
    ) WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX votes_paper ON votes (paper_id)`.execute(db);
  await sql`
    CREATE TABLE comments (
      id INTEGER PRIMARY KEY,
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      user_id INTEGER NOT NULL REFERENCES users (id),
      parent_id INTEGER REFERENCES comments (id),
      body TEXT NOT NULL,
      created_at TEXT NOT NULL,
      edited_at TEXT,
      deleted_at TEXT,
      deleted_by INTEGER REFERENCES users (id)
    )`.execute(db);
  await sql`CREATE INDEX comments_paper ON comments (paper_id, created_at)`.execute(db);
  await sql`CREATE INDEX comments_user ON comments (user_id, created_at DESC)`.execute(db);
  await sql`ALTER TABLE features ADD COLUMN submitter_id INTEGER REFERENCES users (id)`.execute(db);
  await sql`CREATE INDEX features_submitter_id ON features (submitter_id, submitted_at DESC)`.execute(db);
  await sql`ALTER TABLE papers ADD COLUMN hidden_at TEXT`.execute(db);
  await sql`
    CREATE TABLE moderation_log (
      id INTEGER PRIMARY KEY,
      created_at TEXT NOT NULL,
      moderator_id INTEGER NOT NULL REFERENCES users (id),
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      reason TEXT
    )`.execute(db);
  // append-only: the log cannot be edited or deleted, even by a bug
  await sql`
    CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
    BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END`.execute(db);
  await sql`
    CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
    BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END`.execute(db);
}
