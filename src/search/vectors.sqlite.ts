/**
 * Paper vectors in sqlite-vec (a `vec0` virtual table, brute-force KNN), one model at a time. The table is made
 * when vectors of a model are first stored (its width is the model's); which model it holds is kept in the
 * settings table, and `paper_embeddings` (migration 0005) says which papers have a current vector. Vectors are
 * unit length, so vec0's L2 distance orders neighbours as cosine similarity does.
 * sqlite-vec wants row ids as BigInt and vectors as Float32Array.
 */
import * as sqliteVec from 'sqlite-vec';
import type { SqliteStore } from '../db/connect.ts';

const TABLE = 'paper_vectors';
const STATE_KEY = 'search.vectors';
const loaded = new WeakSet<object>();

export interface VectorState {
  model: string;
  dimensions: number;
}

/** Loads the sqlite-vec extension into this connection unless openStore already did (once). */
export function loadVectorExtension(store: SqliteStore): void {
  if (loaded.has(store.sqlite)) return;
  try {
    store.sqlite.prepare('SELECT vec_version()').get();
  } catch {
    sqliteVec.load(store.sqlite);
  }
  loaded.add(store.sqlite);
}

export function vectorState(store: SqliteStore): VectorState | null {
  const value = store.sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(STATE_KEY);
  return typeof value === 'string' ? (JSON.parse(value) as VectorState) : null;
}

/**
 * Makes the vector table ready for a model: kept when it already holds that model's vectors, otherwise
 * (another model, another width) dropped and made anew, and every paper marked as needing a vector.
 */
export function prepareVectorTable(store: SqliteStore, model: string, dimensions: number): void {
  loadVectorExtension(store);
  const state = vectorState(store);
  if (state && state.model === model && state.dimensions === dimensions) return;
  store.sqlite
    .transaction(() => {
      store.sqlite.exec(`DROP TABLE IF EXISTS ${TABLE}`);
      store.sqlite.exec(`CREATE VIRTUAL TABLE ${TABLE} USING vec0(embedding float[${dimensions}])`);
      store.sqlite.exec('DELETE FROM paper_embeddings');
      store.sqlite
        .prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)')
        .run(STATE_KEY, JSON.stringify({ model, dimensions }));
    })
    .immediate();
}

/** Stores (or replaces) papers' vectors, all in one transaction. */
export function storeVectors(
  store: SqliteStore,
  model: string,
  items: { pk: number; vector: Float32Array }[],
): void {
  if (items.length === 0) return;
  prepareVectorTable(store, model, items[0]!.vector.length);
  const remove = store.sqlite.prepare(`DELETE FROM ${TABLE} WHERE rowid = ?`);
  const insert = store.sqlite.prepare(`INSERT INTO ${TABLE} (rowid, embedding) VALUES (?, ?)`);
  const mark = store.sqlite.prepare(
    'INSERT OR REPLACE INTO paper_embeddings (paper_pk, model, embedded_at) VALUES (?, ?, ?)',
  );
  const now = new Date().toISOString();
  store.sqlite
    .transaction(() => {
      for (const { pk, vector } of items) {
        remove.run(BigInt(pk));
        insert.run(BigInt(pk), vector);
        mark.run(pk, model, now);
      }
    })
    .immediate();
}

/** Whether the table holds vectors of this model. */
function ready(store: SqliteStore, model: string): boolean {
  const state = vectorState(store);
  if (!state || state.model !== model) return false;
  loadVectorExtension(store);
  return true;
}

/** The keys of the `k` papers nearest to a vector (not hidden), nearest first; [] without vectors. */
export function nearestKeys(store: SqliteStore, model: string, vector: Float32Array, k: number): number[] {
  if (!ready(store, model)) return [];
  const state = vectorState(store)!;
  if (vector.length !== state.dimensions) return [];
  // the KNN query alone (vec0 needs its `k` constraint on a plain scan), hidden papers left out after
  const rows = store.sqlite
    .prepare(`SELECT rowid FROM ${TABLE} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
    .pluck()
    .all(vector, k) as (number | bigint)[];
  const keys = rows.map(Number);
  if (keys.length === 0) return keys;
  const hidden = new Set(
    store.sqlite
      .prepare('SELECT pk FROM papers WHERE pk IN (SELECT value FROM json_each(?)) AND hidden_at IS NOT NULL')
      .pluck()
      .all(JSON.stringify(keys)) as number[],
  );
  return hidden.size > 0 ? keys.filter((key) => !hidden.has(key)) : keys;
}

/** A paper's stored vector, or null. */
export function paperVector(store: SqliteStore, model: string, pk: number): Float32Array | null {
  if (!ready(store, model)) return null;
  const blob = store.sqlite.prepare(`SELECT embedding FROM ${TABLE} WHERE rowid = ?`).pluck().get(BigInt(pk));
  if (!(blob instanceof Uint8Array)) return null;
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

export interface PaperText {
  pk: number;
  title: string;
  abstract: string;
}

/** Papers without a current vector of this model, in key order after `afterPk`. */
export function papersWithoutVectors(
  store: SqliteStore,
  model: string,
  afterPk: number,
  limit: number,
): PaperText[] {
  return store.sqlite
    .prepare(
      `SELECT p.pk, p.title, p.abstract FROM papers p
       LEFT JOIN paper_embeddings e ON e.paper_pk = p.pk AND e.model = ?
       WHERE e.paper_pk IS NULL AND p.pk > ? ORDER BY p.pk LIMIT ?`,
    )
    .all(model, afterPk, limit) as PaperText[];
}

export function countWithoutVectors(store: SqliteStore, model: string): number {
  return Number(
    store.sqlite
      .prepare(
        `SELECT count(*) FROM papers p LEFT JOIN paper_embeddings e ON e.paper_pk = p.pk AND e.model = ?
         WHERE e.paper_pk IS NULL`,
      )
      .pluck()
      .get(model),
  );
}

/** Forgets every vector, so the next run embeds all papers again. */
export function clearVectors(store: SqliteStore): void {
  store.sqlite.exec('DELETE FROM paper_embeddings');
}
