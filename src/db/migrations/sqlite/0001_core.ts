import { type Kysely, sql } from 'kysely';

/**
 * Papers, their categories, features (the daily lists) and the FTS5 index over papers.
 * The FTS table uses papers as external content. Updates and deletes keep it current by trigger; new rows are
 * indexed by the one code path that inserts papers (ingest/import-sqlite.store.ts), in the same statement batch:
 * an AFTER INSERT trigger makes FTS5 flush its term buffer at every row's statement savepoint, which measured
 * 3.8 times slower on bulk imports (docs/decisions.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE papers (
      pk INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      version INTEGER,
      title TEXT NOT NULL,
      authors TEXT NOT NULL DEFAULT '[]',
      abstract TEXT NOT NULL DEFAULT '',
      categories TEXT NOT NULL DEFAULT '',
      primary_category TEXT,
      published_at TEXT,
      updated_at TEXT,
      comments TEXT,
      journal_ref TEXT,
      doi TEXT,
      github_repo TEXT,
      project_page TEXT,
      github_stars INTEGER,
      ai_summary TEXT,
      ai_summary_model TEXT,
      ai_keywords TEXT NOT NULL DEFAULT '[]',
      imported_upvotes INTEGER NOT NULL DEFAULT 0 CHECK (imported_upvotes >= 0),
      upvotes INTEGER NOT NULL DEFAULT 0 CHECK (upvotes >= 0),
      num_comments INTEGER NOT NULL DEFAULT 0,
      fingerprint TEXT NOT NULL,
      created_at TEXT NOT NULL,
      modified_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX papers_published ON papers (published_at DESC, pk DESC)`.execute(db);
  await sql`
    CREATE TABLE paper_categories (
      category TEXT NOT NULL,
      paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
      published_at TEXT,
      PRIMARY KEY (category, paper_pk)
    ) WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX paper_categories_new ON paper_categories (category, published_at DESC)`.execute(db);
  await sql`CREATE INDEX paper_categories_paper ON paper_categories (paper_pk)`.execute(db);
  await sql`
    CREATE TABLE features (
      paper_id TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
      day TEXT NOT NULL,
      submitted_at TEXT NOT NULL,
      submitter TEXT,
      trending_score REAL NOT NULL DEFAULT 0,
      source TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX features_day ON features (day)`.execute(db);
  await sql`CREATE INDEX features_submitted ON features (submitted_at DESC)`.execute(db);
  await sql`CREATE INDEX features_trending ON features (trending_score DESC)`.execute(db);
  await sql`CREATE INDEX features_submitter ON features (submitter, submitted_at DESC)`.execute(db);

  // Full-text index. porter stemming: "aligning" finds "alignment" (docs/search.md).
  await sql`
    CREATE VIRTUAL TABLE papers_fts USING fts5(
      title, abstract, authors, categories,
      content = 'papers', content_rowid = 'pk',
      tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
  // Larger in-memory term buffer and pages: a bulk import flushes fewer, larger segments.
  await sql`INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 67108864)`.execute(db);
  await sql`INSERT INTO papers_fts (papers_fts, rank) VALUES ('pgsz', 16000)`.execute(db);
  await sql`
    CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
      INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors, categories)
      VALUES ('delete', old.pk, old.title, old.abstract, old.authors, old.categories);
    END`.execute(db);
  await sql`
    CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors, categories ON papers BEGIN
      INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors, categories)
      VALUES ('delete', old.pk, old.title, old.abstract, old.authors, old.categories);
      INSERT INTO papers_fts (rowid, title, abstract, authors, categories)
      VALUES (new.pk, new.title, new.abstract, new.authors, new.categories);
    END`.execute(db);
}
