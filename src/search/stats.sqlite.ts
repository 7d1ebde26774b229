/**
 * Corpus statistics for the BM25F re-ranker, read from the FTS5 index itself: the row count and each column's
 * total tokens (the "averages" record FTS5 keeps in its `_data` table), and per-term document counts from the
 * `papers_fts_row` fts5vocab table. Document counts are cached: reading a common term's count walks its whole
 * posting list (tens of ms at 1M papers), and BM25 needs them only roughly, so a cached count is kept until the
 * number of papers has grown by more than 1 %.
 */
import type { SqliteStore } from '../db/connect.ts';
import type { CorpusStats } from './bm25f.ts';
import { FTS_AVERAGES, FTS_COLUMNS, FTS_DOCSIZE, FTS_VOCAB_ROW, type FtsColumn } from './fts5.sqlite.ts';
import { prepared } from './statements.sqlite.ts';

const DF_CACHE_LIMIT = 100_000;
const STALE_GROWTH = 0.01;

interface DfCache {
  docs: number;
  counts: Map<string, number>;
}

const caches = new WeakMap<SqliteStore, DfCache>();
/** SQLite's variable-length integer (as FTS5 writes it): 7 bits a byte, high bit set on all but the last. */
function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = bytes[at + i]!;
    if (i === 8) return [value * 256 + byte, at + 9];
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, at + i + 1];
  }
  return [value, at + 9];
}

/** Papers in the index and average tokens per column. */
export function indexAverages(store: SqliteStore): { docs: number; avgLength: Record<FtsColumn, number> } {
  const row = prepared(store, FTS_AVERAGES).get() as { block: Uint8Array } | undefined;
  const avgLength = { title: 1, abstract: 1, authors: 1, categories: 1 } as Record<FtsColumn, number>;
  if (!row) return { docs: 0, avgLength };
  let [docs, at] = readVarint(row.block, 0);
  for (const column of FTS_COLUMNS) {
    const [total, next] = readVarint(row.block, at);
    at = next;
    avgLength[column] = docs > 0 ? total / docs : 1;
  }
  return { docs, avgLength };
}

/** The statistics BM25F needs for these (stemmed) terms. */
export function corpusStats(store: SqliteStore, terms: string[]): CorpusStats {
  const { docs, avgLength } = indexAverages(store);
  let cache = caches.get(store);
  if (!cache || docs > cache.docs * (1 + STALE_GROWTH) || docs < cache.docs * (1 - STALE_GROWTH)) {
    cache = { docs, counts: new Map() };
    caches.set(store, cache);
  }
  const lookup = prepared(store, `SELECT doc FROM ${FTS_VOCAB_ROW} WHERE term = ?`).pluck();
  const df = new Map<string, number>();
  for (const term of terms) {
    let count = cache.counts.get(term);
    if (count === undefined) {
      count = Number(lookup.get(term) ?? 0);
      if (cache.counts.size >= DF_CACHE_LIMIT) cache.counts.clear();
      cache.counts.set(term, count);
    }
    df.set(term, count);
  }
  return { docs, avgLength, df };
}

/** Tokens per column of each paper, from FTS5's `_docsize` table (as the index counted them). */
export function docLengths(store: SqliteStore, pks: number[]): Map<number, number[]> {
  const rows = prepared(
    store,
    `SELECT id, sz FROM ${FTS_DOCSIZE} WHERE id IN (SELECT value FROM json_each(?))`,
  )
    .raw()
    .all(JSON.stringify(pks)) as [number, Uint8Array][];
  return new Map(rows.map(([id, sz]) => [id, columnSizes(sz)]));
}

/** One `_docsize` record (a varint per column) as tokens per column; a missing record counts as empty. */
export function columnSizes(sz: Uint8Array | null): number[] {
  const sizes: number[] = [];
  let at = 0;
  for (let c = 0; c < FTS_COLUMNS.length; c++) {
    if (!sz || at >= sz.length) {
      sizes.push(0);
      continue;
    }
    const [n, next] = readVarint(sz, at);
    sizes.push(n);
    at = next;
  }
  return sizes;
}
