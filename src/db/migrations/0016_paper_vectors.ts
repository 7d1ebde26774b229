import { type Kysely, sql } from 'kysely';

/**
 * Semantic search on PostgreSQL (docs/search.md, D6x): `paper_embeddings`, SQLite's bookkeeping table of 0005
 * (which paper has a vector of which model, forgotten when its title or abstract changes), with the vector itself
 * in the row: `vector` REAL[], the model's Float32 values. Debian 12 packages no pgvector; an array of reals is
 * what pgvector's cast (`vector::vector(384)`) takes, so a server that has it can index this very column. The web
 * processes search them in memory (src/search/vector-index.ts) and learn of changes from the sequence
 * `paper_vectors_version`, which every write to the table advances (as data_version, which it advances too: a
 * page of hybrid results changes with the vectors).
 */
export async function sqlite(_db: Kysely<unknown>): Promise<void> {
  // nothing to do: SQLite keeps its vectors in sqlite-vec (vectors.sqlite.ts) and paper_embeddings since 0005
}

export async function postgres(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE paper_embeddings (
      paper_pk INTEGER PRIMARY KEY REFERENCES papers (pk) ON DELETE CASCADE,
      model TEXT NOT NULL,
      embedded_at TEXT NOT NULL,
      vector REAL[] NOT NULL
    )`.execute(db);
  // Float32 values do not compress: stored out of line as they are, never tried with pglz
  await sql`ALTER TABLE paper_embeddings ALTER COLUMN vector SET STORAGE EXTERNAL`.execute(db);
  await sql`
    CREATE FUNCTION paper_embeddings_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN DELETE FROM paper_embeddings WHERE paper_pk = old.pk; RETURN NULL; END $$`.execute(db);
  await sql`
    CREATE TRIGGER paper_embeddings_stale AFTER UPDATE OF title, abstract ON papers
    FOR EACH ROW WHEN (old.title IS DISTINCT FROM new.title OR old.abstract IS DISTINCT FROM new.abstract)
    EXECUTE FUNCTION paper_embeddings_stale()`.execute(db);
  // a sequence takes no row lock: writers of vectors (and of papers, through the trigger above) never wait on it
  await sql`CREATE SEQUENCE paper_vectors_version`.execute(db);
  await sql`
    CREATE FUNCTION bump_paper_vectors_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM nextval('paper_vectors_version'); PERFORM nextval('data_version'); RETURN NULL; END $$`.execute(
    db,
  );
  await sql`
    CREATE TRIGGER paper_embeddings_version AFTER INSERT OR UPDATE OR DELETE ON paper_embeddings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_paper_vectors_version()`.execute(db);
}
