/**
 * pgvector, when the PostgreSQL server has it (`pg_available_extensions`): the neighbours come from an HNSW index
 * over the same column (`paper_embeddings.vector`, REAL[], cast to `vector(d)`), not from the process's memory.
 * UNTESTED on these machines: Debian 12 packages no pgvector, so no test has run this file against the real
 * extension (docs/search.md). Kept apart from vectors.postgres.ts so that the tested path does not depend on it;
 * any failure here (no privilege to create the extension, an old pgvector) falls back to the in-memory index.
 */
import { sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';

/** Whether pgvector is usable in this database: created already, or available and created now. */
export async function pgvectorReady(store: PostgresStore): Promise<boolean> {
  try {
    const { rows } = await sql<{ available: boolean; created: boolean }>`
      SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available,
             EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS created`.execute(store.db);
    const state = rows[0];
    if (!state?.available) return false;
    if (!state.created) await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}

/** The `k` nearest papers of a width-`dimensions` vector by inner product (unit vectors: cosine), via HNSW. */
export async function pgvectorNearest(
  store: PostgresStore,
  vector: Float32Array,
  dimensions: number,
  k: number,
): Promise<number[]> {
  const d = sql.raw(String(Math.trunc(dimensions)));
  // one index per width (one model at a time, so one index in use); made once, on the first search
  await sql`
    CREATE INDEX IF NOT EXISTS ${sql.raw(`paper_embeddings_hnsw_${Math.trunc(dimensions)}`)} ON paper_embeddings
    USING hnsw ((vector::vector(${d})) vector_ip_ops)`.execute(store.db);
  const literal = `[${Array.from(vector).join(',')}]`;
  const { rows } = await sql<{ pk: number }>`
    SELECT paper_pk AS pk FROM paper_embeddings
    ORDER BY vector::vector(${d}) <#> ${literal}::vector(${d}) LIMIT ${k}`.execute(store.db);
  return rows.map((r) => Number(r.pk));
}
