import { type Kysely, sql } from 'kysely';

/**
 * PostgreSQL twin of sqlite/0005_search: the index "most upvoted" search results walk. The per-term counts and
 * the embeddings bookkeeping are SQLite's (FTS5 and sqlite-vec); PostgreSQL ranks with its own tsvector index
 * (0001_core) and has no semantic search yet (docs/search.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX papers_upvotes ON papers (upvotes DESC, pk DESC)`.execute(db);
}
