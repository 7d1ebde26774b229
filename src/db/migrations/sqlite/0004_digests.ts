import { type Kysely, sql } from 'kysely';

/**
 * Email digests: subscriptions (anyone with an address; double opt-in) and the outbox, one row per
 * (subscription, period), which is what makes a digest go out once per subscriber and period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE subscriptions (
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL,
      user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
      frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
      categories TEXT NOT NULL DEFAULT '[]',
      keywords TEXT NOT NULL DEFAULT '[]',
      paper_count INTEGER NOT NULL DEFAULT 10 CHECK (paper_count BETWEEN 1 AND 50),
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'suspended')),
      bounces INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      confirmed_at TEXT,
      unsubscribed_at TEXT
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX subscriptions_email ON subscriptions (lower(email))`.execute(db);
  await sql`CREATE INDEX subscriptions_status ON subscriptions (status, frequency)`.execute(db);
  await sql`
    CREATE TABLE digest_outbox (
      subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
      period TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL,
      message_id TEXT,
      error TEXT,
      created_at TEXT NOT NULL,
      sent_at TEXT,
      PRIMARY KEY (subscription_id, period)
    ) WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX digest_outbox_due ON digest_outbox (period, status, next_attempt_at)`.execute(db);
}
