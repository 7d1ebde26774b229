import { type Kysely, sql } from 'kysely';

/**
 * Beyond Hugging Face: members' collections, authorship claims, keyphrases per paper, "for you"
 * recommendations (cached per member, with the reason), the digest opt-in for them, and where a summary came
 * from. (0005 is the search work's.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE collections (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX collections_user ON collections (user_id, updated_at DESC)`.execute(db);
  await sql`
    CREATE TABLE collection_papers (
      collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      added_at TEXT NOT NULL,
      PRIMARY KEY (collection_id, paper_id)
    ) WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX collection_papers_order ON collection_papers (collection_id, position)`.execute(db);
  await sql`CREATE INDEX collection_papers_paper ON collection_papers (paper_id)`.execute(db);

  await sql`
    CREATE TABLE author_claims (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      author_key TEXT NOT NULL,
      author_name TEXT NOT NULL,
      evidence TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
      created_at TEXT NOT NULL,
      decided_at TEXT,
      decided_by INTEGER REFERENCES users (id)
    )`.execute(db);
  // one approved member per author name; one open claim per member and name
  await sql`CREATE UNIQUE INDEX author_claims_approved ON author_claims (author_key) WHERE status = 'approved'`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX author_claims_open ON author_claims (user_id, author_key) WHERE status != 'rejected'`.execute(
    db,
  );
  await sql`CREATE INDEX author_claims_status ON author_claims (status, created_at)`.execute(db);

  // keyphrases of each paper (src/keywords): the list for display, and an index for topic filters
  await sql`
    CREATE TABLE paper_keyphrases (
      paper_pk INTEGER PRIMARY KEY REFERENCES papers (pk) ON DELETE CASCADE,
      fingerprint TEXT NOT NULL,
      phrases TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE keyphrase_index (
      phrase TEXT NOT NULL,
      paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
      PRIMARY KEY (phrase, paper_pk)
    ) WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX keyphrase_index_paper ON keyphrase_index (paper_pk)`.execute(db);

  // "for you": the latest recommendations of each member, best first, with the paper that explains each
  await sql`
    CREATE TABLE recommendations (
      user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      rank INTEGER NOT NULL,
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      score REAL NOT NULL,
      reason_kind TEXT NOT NULL CHECK (reason_kind IN ('upvoted', 'collected')),
      reason_paper_id TEXT NOT NULL,
      computed_at TEXT NOT NULL,
      PRIMARY KEY (user_id, rank)
    ) WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE recommendation_state (
      user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      positives_hash TEXT NOT NULL,
      positives INTEGER NOT NULL,
      computed_at TEXT NOT NULL
    )`.execute(db);
  await sql`ALTER TABLE subscriptions ADD COLUMN for_you INTEGER NOT NULL DEFAULT 0`.execute(db);
  // 'local' when this instance's configured model wrote ai_summary; null when imported
  await sql`ALTER TABLE papers ADD COLUMN ai_summary_origin TEXT`.execute(db);
}
