/**
 * Exact nearest neighbours in memory, for PostgreSQL without pgvector (docs/search.md, D6x): one Float32Array
 * matrix of unit vectors (row i = paper keys[i]) searched by brute-force dot product, the best `k` kept in a
 * small min-heap. Each process keeps one index per store and model, built from the table on first use and then
 * kept current by `syncIndex`: the rows that changed (by key and `embedded_at`) are read again, those gone are
 * dropped. Pure: the reading is the caller's (`VectorSource`, vectors.postgres.ts).
 */
import { normalize } from './embeddings/embedder.ts';

/** What a caller gets wrong (a vector of another width, an empty or non-finite one): said, never a crash. */
export class VectorQueryError extends Error {}

export class VectorIndex {
  readonly dimensions: number;
  private matrix: Float32Array;
  private keys: number[] = [];
  private stamps: string[] = [];
  private rowOf = new Map<number, number>();

  constructor(dimensions: number, capacity = 1024) {
    if (!Number.isInteger(dimensions) || dimensions <= 0)
      throw new VectorQueryError(`a vector index needs a positive width, not ${dimensions}`);
    this.dimensions = dimensions;
    this.matrix = new Float32Array(dimensions * Math.max(1, capacity));
  }

  get size(): number {
    return this.keys.length;
  }

  /** Each paper's `embedded_at` as the index holds it: compared with the table's to find what changed. */
  stampOf(key: number): string | undefined {
    const row = this.rowOf.get(key);
    return row === undefined ? undefined : this.stamps[row];
  }

  heldKeys(): number[] {
    return [...this.keys];
  }

  /** Adds or replaces a paper's vector (scaled to unit length). */
  upsert(key: number, vector: Float32Array, stamp: string): void {
    checkVector(vector, this.dimensions);
    let row = this.rowOf.get(key);
    if (row === undefined) {
      row = this.keys.length;
      if ((row + 1) * this.dimensions > this.matrix.length) {
        const grown = new Float32Array(Math.ceil((row + 1) * 1.5) * this.dimensions);
        grown.set(this.matrix);
        this.matrix = grown;
      }
      this.keys.push(key);
      this.stamps.push(stamp);
      this.rowOf.set(key, row);
    } else this.stamps[row] = stamp;
    this.matrix.set(normalize(vector), row * this.dimensions);
  }

  /** Drops a paper (the last row moves into its place). */
  remove(key: number): void {
    const row = this.rowOf.get(key);
    if (row === undefined) return;
    const last = this.keys.length - 1;
    if (row !== last) {
      const d = this.dimensions;
      this.matrix.copyWithin(row * d, last * d, (last + 1) * d);
      this.keys[row] = this.keys[last]!;
      this.stamps[row] = this.stamps[last]!;
      this.rowOf.set(this.keys[row]!, row);
    }
    this.keys.pop();
    this.stamps.pop();
    this.rowOf.delete(key);
  }

  /** The keys of the `k` vectors nearest to `vector` (highest cosine similarity), nearest first. */
  nearest(vector: Float32Array, k: number): number[] {
    checkVector(vector, this.dimensions);
    if (!Number.isInteger(k) || k < 0) throw new VectorQueryError(`k must be a whole number ≥ 0, not ${k}`);
    const n = this.keys.length;
    const want = Math.min(k, n);
    if (want === 0) return [];
    const q = normalize(vector);
    const d = this.dimensions;
    const m = this.matrix;
    // a min-heap of the best `want` rows so far: heap[0] is the worst of them
    const heapRow = new Int32Array(want);
    const heapScore = new Float64Array(want);
    let size = 0;
    for (let row = 0; row < n; row++) {
      let score = 0;
      const base = row * d;
      for (let i = 0; i < d; i++) score += q[i]! * m[base + i]!;
      if (size < want) {
        let at = size++;
        while (at > 0) {
          const parent = (at - 1) >> 1;
          if (worse(heapScore[parent]!, heapRow[parent]!, score, row)) break;
          heapScore[at] = heapScore[parent]!;
          heapRow[at] = heapRow[parent]!;
          at = parent;
        }
        heapScore[at] = score;
        heapRow[at] = row;
      } else if (worse(heapScore[0]!, heapRow[0]!, score, row)) {
        let at = 0;
        for (;;) {
          const left = 2 * at + 1;
          if (left >= want) break;
          const right = left + 1;
          const child =
            right < want && worse(heapScore[right]!, heapRow[right]!, heapScore[left]!, heapRow[left]!)
              ? right
              : left;
          if (worse(score, row, heapScore[child]!, heapRow[child]!)) break;
          heapScore[at] = heapScore[child]!;
          heapRow[at] = heapRow[child]!;
          at = child;
        }
        heapScore[at] = score;
        heapRow[at] = row;
      }
    }
    const best = Array.from({ length: size }, (_, i) => ({ score: heapScore[i]!, row: heapRow[i]! }));
    best.sort((a, b) => b.score - a.score || this.keys[a.row]! - this.keys[b.row]!);
    return best.map((b) => this.keys[b.row]!);
  }
}

/** Whether (score a, row ra) ranks below (score b, row rb): lower similarity; on a tie, the later row. */
function worse(a: number, ra: number, b: number, rb: number): boolean {
  return a < b || (a === b && ra > rb);
}

export function checkVector(vector: Float32Array, dimensions: number): void {
  if (!(vector instanceof Float32Array) || vector.length === 0)
    throw new VectorQueryError('an empty vector: nothing to compare');
  if (vector.length !== dimensions)
    throw new VectorQueryError(
      `a vector of ${vector.length} dimensions, but the stored vectors have ${dimensions} (another model?)`,
    );
  for (let i = 0; i < vector.length; i++)
    if (!Number.isFinite(vector[i]!)) throw new VectorQueryError(`a vector with a non-finite value at ${i}`);
}

/** What the index is built and kept current from (vectors.postgres.ts). */
export interface VectorSource {
  /** a number that moves whenever the table is written (a sequence: it may move before the write commits) */
  version(): Promise<number>;
  /** the model's width, from the table, or null when it holds none of its vectors */
  dimensions(model: string): Promise<number | null>;
  /** every paper with a vector of the model, and when it was embedded */
  stamps(model: string): Promise<Map<number, string>>;
  /** the vectors of these papers (of the model) */
  vectors(model: string, keys: number[]): Promise<{ key: number; stamp: string; vector: Float32Array }[]>;
}

/**
 * A sequence moves when the writing statement runs, before its transaction commits: a sync in between reads
 * the new number but not yet the rows. So a number is trusted only once it has been seen for this long; until
 * then the next search reads the table's keys once more (cheap: keys and dates, no vectors).
 */
const SETTLE_MS = 1000;

/** One process's index of one model, kept current through the source's version. */
export class SyncedIndex {
  private index: VectorIndex | null = null;
  private version = -1;
  private seenAt = 0;
  private settled = false;
  private pending: Promise<VectorIndex | null> | null = null;

  constructor(
    private readonly source: VectorSource,
    readonly model: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The index, current as of now; null when the table has no vector of this model. */
  current(): Promise<VectorIndex | null> {
    this.pending ??= this.refresh().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async refresh(): Promise<VectorIndex | null> {
    const version = await this.source.version();
    const now = this.now();
    if (version === this.version && (this.settled || now - this.seenAt < SETTLE_MS)) return this.index;
    if (version === this.version) this.settled = true;
    else {
      this.version = version;
      this.seenAt = now;
      this.settled = false;
    }
    const dimensions = await this.source.dimensions(this.model);
    if (dimensions === null) {
      this.index = null;
      return null;
    }
    if (!this.index || this.index.dimensions !== dimensions) this.index = new VectorIndex(dimensions);
    const index = this.index;
    const stamps = await this.source.stamps(this.model);
    for (const key of index.heldKeys()) if (!stamps.has(key)) index.remove(key);
    const changed = [...stamps].filter(([key, stamp]) => index.stampOf(key) !== stamp).map(([key]) => key);
    for (let i = 0; i < changed.length; i += 5000) {
      for (const row of await this.source.vectors(this.model, changed.slice(i, i + 5000))) {
        // a vector of another width is a row left from another model's run: it is dropped on the next write
        if (row.vector.length === dimensions) index.upsert(row.key, row.vector, row.stamp);
      }
    }
    return index;
  }
}
