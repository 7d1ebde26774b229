import { type Kysely, sql } from 'kysely';

/**
 * Search (issue 5): a per-term document count over the FTS5 index for the BM25F re-ranker and spelling
 * suggestions, an index for sorting results by upvotes, and the bookkeeping of semantic search. On the import's
 * write path: the upvotes index (measured in docs/benchmarks.md) and a trigger that fires only when a paper's
 * title or abstract changes.
 *
 * The vectors themselves live in a sqlite-vec `vec0` table made when an embedding model is first configured
 * (its size depends on the model), so a database without embeddings never needs the extension.
 */
export async function sqlite(db: Kysely<unknown>): Promise<void> {
  // fts5vocab 'row': one row per indexed term with the number of papers containing it (docs/search.md)
  await sql`CREATE VIRTUAL TABLE papers_fts_row USING fts5vocab(papers_fts, row)`.execute(db);
  // "most upvoted" search results walk papers in this order (search.store.ts: sortedKeys)
  await sql`CREATE INDEX papers_upvotes ON papers (upvotes DESC, pk DESC)`.execute(db);
  // which papers have a vector from which model; a paper whose text changes loses its entry and is embedded again
  await sql`
    CREATE TABLE paper_embeddings (
      paper_pk INTEGER PRIMARY KEY REFERENCES papers (pk) ON DELETE CASCADE,
      model TEXT NOT NULL,
      embedded_at TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TRIGGER paper_embeddings_stale AFTER UPDATE OF title, abstract ON papers
    WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract BEGIN
      DELETE FROM paper_embeddings WHERE paper_pk = old.pk;
    END`.execute(db);
}

/**
 * PostgreSQL: only the index "most upvoted" search results walk. The per-term counts and
 * the embeddings bookkeeping are SQLite's (FTS5 and sqlite-vec); PostgreSQL ranks with its own tsvector index
 * (0001_core) and has no semantic search yet (docs/search.md).
 */
export async function postgres(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX papers_upvotes ON papers (upvotes DESC, pk DESC)`.execute(db);
}
