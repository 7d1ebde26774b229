/**
 * Paper vectors, whichever the engine: sqlite-vec on SQLite (vectors.sqlite.ts), a REAL[] column searched in
 * memory (or by pgvector when the server has it) on PostgreSQL (vectors.postgres.ts). One model at a time;
 * hidden papers never come out. What a caller gets wrong (an empty vector, a vector of another width than the
 * stored ones, a non-finite value) is a VectorQueryError on both engines.
 */
import { perEngine } from '../db/engine.ts';
import { checkVector, VectorQueryError } from './vector-index.ts';
import {
  clearVectorsPostgres,
  countWithoutVectorsPostgres,
  hiddenAmong,
  memoryNearest,
  papersWithoutVectorsPostgres,
  paperVectorPostgres,
  storeVectorsPostgres,
  vectorStatePostgres,
} from './vectors.postgres.ts';
import {
  clearVectors,
  countWithoutVectors,
  nearestKeys,
  type PaperText,
  papersWithoutVectors,
  paperVector,
  storeVectors,
  type VectorState,
  vectorState,
} from './vectors.sqlite.ts';
import { pgvectorNearest, pgvectorReady } from './vectors-pgvector.postgres.ts';

export { type PaperText, VectorQueryError, type VectorState };

export interface PaperVectors {
  /** the model and width of the stored vectors, or null when there are none */
  state(): Promise<VectorState | null>;
  /** stores (or replaces) vectors of one model and one width, in one transaction */
  store(model: string, items: { pk: number; vector: Float32Array }[]): Promise<void>;
  /** the keys of the `k` papers nearest to `vector` (not hidden), nearest first; [] without vectors of the model */
  nearest(model: string, vector: Float32Array, k: number): Promise<number[]>;
  /** a paper's vector of the model, or null */
  vectorOf(model: string, pk: number): Promise<Float32Array | null>;
  /** papers without a current vector of the model, in key order after `afterPk` */
  missing(model: string, afterPk: number, limit: number): Promise<PaperText[]>;
  countMissing(model: string): Promise<number>;
  /** forgets every vector, so the next run embeds all papers again */
  clear(): Promise<void>;
}

function checkBatch(items: { pk: number; vector: Float32Array }[]): void {
  const width = items[0]?.vector.length ?? 0;
  for (const item of items) checkVector(item.vector, width);
}

function checkQuery(vector: Float32Array, state: VectorState | null, model: string, k: number): void {
  checkVector(vector, state && state.model === model ? state.dimensions : vector.length);
  if (!Number.isInteger(k) || k < 0) throw new VectorQueryError(`k must be a whole number ≥ 0, not ${k}`);
}

export const paperVectorsOf = perEngine<PaperVectors>({
  sqlite: (s) => ({
    state: async () => vectorState(s),
    async store(model, items) {
      checkBatch(items);
      storeVectors(s, model, items);
    },
    async nearest(model, vector, k) {
      checkQuery(vector, vectorState(s), model, k);
      return k === 0 ? [] : nearestKeys(s, model, vector, k);
    },
    vectorOf: async (model, pk) => paperVector(s, model, pk),
    missing: async (model, afterPk, limit) => papersWithoutVectors(s, model, afterPk, limit),
    countMissing: async (model) => countWithoutVectors(s, model),
    clear: async () => clearVectors(s),
  }),
  postgres: (s) => {
    const inMemory = memoryNearest(s);
    let pgvector: Promise<boolean> | null = null;
    return {
      state: () => vectorStatePostgres(s),
      async store(model, items) {
        checkBatch(items);
        await storeVectorsPostgres(s, model, items);
      },
      async nearest(model, vector, k) {
        const state = await vectorStatePostgres(s);
        checkQuery(vector, state, model, k);
        if (!state || state.model !== model || k === 0) return [];
        pgvector ??= pgvectorReady(s);
        const keys = (await pgvector)
          ? await pgvectorNearest(s, vector, state.dimensions, k)
          : await inMemory(model, vector, k);
        const hidden = await hiddenAmong(s, keys);
        return hidden.size > 0 ? keys.filter((key) => !hidden.has(key)) : keys;
      },
      vectorOf: (model, pk) => paperVectorPostgres(s, model, pk),
      missing: (model, afterPk, limit) => papersWithoutVectorsPostgres(s, model, afterPk, limit),
      countMissing: (model) => countWithoutVectorsPostgres(s, model),
      clear: () => clearVectorsPostgres(s),
    };
  },
});
