import { type Kysely, sql } from 'kysely';

/**
 * A second full-text index over titles alone, for search's first pass on common words (src/search/search.store.ts,
 * docs/search.md): "the newest papers with these words in their title" read title-only posting lists, about a
 * tenth of the size of papers_fts's, where every abstract also mentions "model" or "to" (2.3 → 0.3 ms a query at
 * 1M papers; the index is 48 MB there). External content over papers, as papers_fts: new papers are added by the
 * import writer, edits and deletions followed by the triggers below. Built here from the papers already stored.
 * (Named 0009_title_index in the databases of the two lists before D54: src/db/migrate.ts renames it.)
 */
export async function sqlite(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE VIRTUAL TABLE papers_title_fts USING fts5(
      title,
      content = 'papers', content_rowid = 'pk',
      tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
  await sql`INSERT INTO papers_title_fts (papers_title_fts, rank) VALUES ('pgsz', 16000)`.execute(db);
  await sql`
    CREATE TRIGGER papers_title_fts_delete AFTER DELETE ON papers BEGIN
      INSERT INTO papers_title_fts (papers_title_fts, rowid, title) VALUES ('delete', old.pk, old.title);
    END`.execute(db);
  await sql`
    CREATE TRIGGER papers_title_fts_update AFTER UPDATE OF title ON papers BEGIN
      INSERT INTO papers_title_fts (papers_title_fts, rowid, title) VALUES ('delete', old.pk, old.title);
      INSERT INTO papers_title_fts (rowid, title) VALUES (new.pk, new.title);
    END`.execute(db);
  await sql`INSERT INTO papers_title_fts (papers_title_fts) VALUES ('rebuild')`.execute(db);
  await sql`INSERT INTO papers_title_fts (papers_title_fts) VALUES ('optimize')`.execute(db);
}

/**
 * PostgreSQL: nothing to do; its search has no titles-only first pass: it matches the weighted search vector of
 * 0001_core (title at weight A) under its GIN index, so a second index would only slow writes.
 */
export async function postgres(): Promise<void> {}
