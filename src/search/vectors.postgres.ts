/**
 * Paper vectors on PostgreSQL (migration 0016, docs/search.md): one row of `paper_embeddings` per paper with its
 * model and its vector as REAL[], one model at a time (storing another model's vectors
 * first deletes the rest). Nearest neighbours are exact, from an index in this process's memory
 * (vector-index.ts), rebuilt on first use and kept current through the sequence `paper_vectors_version`; hidden
 * papers are left out after the search, as on SQLite (vectors.sqlite.ts), so both answer the same. With
 * pgvector on the server, its own search is used instead (vectors-pgvector.postgres.ts).
 */
import { sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';
import { SyncedIndex, type VectorSource } from './vector-index.ts';
import type { PaperText, VectorState } from './vectors.sqlite.ts';

/** A vector as PostgreSQL's array literal: each Float32 printed exactly (it parses back to the same REAL). */
export function arrayLiteral(vector: Float32Array): string {
  return `{${Array.from(vector).join(',')}}`;
}

/**
 * A REAL[] as `array_send` gives it (binary: dimensions, flags, element type, each dimension's length and lower
 * bound, then a 4-byte length and a big-endian Float32 per element), read without parsing any text: building
 * the index from 100,000 vectors as text would parse 38 million numbers.
 */
export function sentArray(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ndim = view.getInt32(0);
  if (ndim === 0) return new Float32Array(0);
  const length = view.getInt32(12);
  const out = new Float32Array(length);
  let at = 12 + 8 * ndim;
  for (let i = 0; i < length; i++) {
    out[i] = view.getInt32(at) === 4 ? view.getFloat32(at + 4) : Number.NaN;
    at += 4 + 4;
  }
  return out;
}

export async function vectorStatePostgres(store: PostgresStore): Promise<VectorState | null> {
  const { rows } = await sql<{ model: string; dimensions: number }>`
    SELECT model, cardinality(vector) AS dimensions FROM paper_embeddings LIMIT 1`.execute(store.db);
  return rows[0] ? { model: rows[0].model, dimensions: Number(rows[0].dimensions) } : null;
}

/** Stores (or replaces) papers' vectors in one transaction; another model's (or width's) vectors go first. */
export async function storeVectorsPostgres(
  store: PostgresStore,
  model: string,
  items: { pk: number; vector: Float32Array }[],
): Promise<void> {
  if (items.length === 0) return;
  const dimensions = items[0]!.vector.length;
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    await sql`DELETE FROM paper_embeddings WHERE model <> ${model} OR cardinality(vector) <> ${dimensions}`.execute(
      trx,
    );
    const values = sql.join(
      items.map((i) => sql`(${i.pk}::int, ${model}, ${now}, ${arrayLiteral(i.vector)}::real[])`),
      sql`, `,
    );
    await sql`
      INSERT INTO paper_embeddings (paper_pk, model, embedded_at, vector)
      SELECT v.pk, v.model, v.at, v.vector FROM (VALUES ${values}) AS v(pk, model, at, vector)
      JOIN papers p ON p.pk = v.pk
      ON CONFLICT (paper_pk) DO UPDATE SET model = excluded.model, embedded_at = excluded.embedded_at,
        vector = excluded.vector`.execute(trx);
  });
}

/** Papers without a current vector of this model, in key order after `afterPk`. */
export async function papersWithoutVectorsPostgres(
  store: PostgresStore,
  model: string,
  afterPk: number,
  limit: number,
): Promise<PaperText[]> {
  const { rows } = await sql<PaperText>`
    SELECT p.pk, p.title, p.abstract FROM papers p
    WHERE p.pk > ${afterPk}
      AND NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_pk = p.pk AND e.model = ${model})
    ORDER BY p.pk LIMIT ${limit}`.execute(store.db);
  return rows.map((r) => ({ ...r, pk: Number(r.pk) }));
}

export async function countWithoutVectorsPostgres(store: PostgresStore, model: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*) AS n FROM papers p
    WHERE NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_pk = p.pk AND e.model = ${model})`.execute(
    store.db,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Forgets every vector, so the next run embeds all papers again. */
export async function clearVectorsPostgres(store: PostgresStore): Promise<void> {
  await sql`DELETE FROM paper_embeddings`.execute(store.db);
}

/** A paper's stored vector of this model, or null. */
export async function paperVectorPostgres(
  store: PostgresStore,
  model: string,
  pk: number,
): Promise<Float32Array | null> {
  const { rows } = await sql<{ vector: Uint8Array }>`
    SELECT array_send(vector) AS vector FROM paper_embeddings WHERE paper_pk = ${pk} AND model = ${model}`.execute(
    store.db,
  );
  return rows[0] ? sentArray(rows[0].vector) : null;
}

/** Which of these papers are hidden (left out of every answer). */
export async function hiddenAmong(store: PostgresStore, pks: number[]): Promise<Set<number>> {
  if (pks.length === 0) return new Set();
  const { rows } = await sql<{ pk: number }>`
    SELECT pk FROM papers WHERE pk = ANY(${pks}::int[]) AND hidden_at IS NOT NULL`.execute(store.db);
  return new Set(rows.map((r) => Number(r.pk)));
}

/** The table as the in-memory index reads it. */
export function tableSource(store: PostgresStore): VectorSource {
  return {
    async version() {
      const { rows } = await sql<{ v: number }>`SELECT last_value AS v FROM paper_vectors_version`.execute(
        store.db,
      );
      return Number(rows[0]?.v ?? 0);
    },
    async dimensions(model) {
      const { rows } = await sql<{ d: number }>`
        SELECT cardinality(vector) AS d FROM paper_embeddings WHERE model = ${model} LIMIT 1`.execute(
        store.db,
      );
      return rows[0] ? Number(rows[0].d) : null;
    },
    async stamps(model) {
      const { rows } = await sql<{ pk: number; at: string }>`
        SELECT paper_pk AS pk, embedded_at AS at FROM paper_embeddings WHERE model = ${model}`.execute(
        store.db,
      );
      return new Map(rows.map((r) => [Number(r.pk), r.at]));
    },
    async vectors(model, keys) {
      const { rows } = await sql<{ pk: number; at: string; vector: Uint8Array }>`
        SELECT paper_pk AS pk, embedded_at AS at, array_send(vector) AS vector FROM paper_embeddings
        WHERE model = ${model} AND paper_pk = ANY(${keys}::int[])`.execute(store.db);
      return rows.map((r) => ({ key: Number(r.pk), stamp: r.at, vector: sentArray(r.vector) }));
    },
  };
}

/** Exact nearest neighbours from this process's index of the model (one per store and model). */
export function memoryNearest(
  store: PostgresStore,
): (model: string, vector: Float32Array, k: number) => Promise<number[]> {
  const source = tableSource(store);
  let synced: SyncedIndex | null = null;
  return async (model, vector, k) => {
    if (!synced || synced.model !== model) synced = new SyncedIndex(source, model);
    const index = await synced.current();
    return index ? index.nearest(vector, k) : [];
  };
}
