/**
 * Compacting the SQLite full-text indexes. FTS5 adds a b-tree (a segment) for every transaction that writes to
 * an index and merges them only four at a time, level by level: after a large import or months of harvests an
 * index holds 10–20 of them, and every query term is looked up in each. At 1M papers, 15 segments instead of
 * one made a search about a quarter slower (docs/benchmarks.md). Compaction merges them into one, in small
 * steps (FTS5's 'merge' with a negative page budget: every segment eligible, whatever its level), each its own
 * short transaction, so readers and other writers get in between and an interrupted compaction loses nothing.
 */
import type { SqliteStore } from '../db/connect.ts';
import { FTS_TABLES } from './fts5.sqlite.ts';
import { prepared } from './statements.sqlite.ts';

/** More segments than this in an index and it is worth compacting (about a month of daily harvests). */
export const COMPACT_FROM_SEGMENTS = 8;

/** Pages one merge step writes: 40–170 ms a step at 1M papers on these machines. */
const PAGES_PER_STEP = 200;

export type SegmentCounts = Record<(typeof FTS_TABLES)[number], number>;

/** How many segments each full-text index has now (from its `_idx` table: a millisecond at 1M papers). */
export function segmentCounts(store: SqliteStore): SegmentCounts {
  const counts = {} as SegmentCounts;
  for (const table of FTS_TABLES) {
    counts[table] = Number(
      prepared(store, `SELECT count(DISTINCT segid) FROM ${table}_idx`).pluck().get() ?? 0,
    );
  }
  return counts;
}

export function needsCompaction(counts: SegmentCounts): boolean {
  return Object.values(counts).some((n) => n > COMPACT_FROM_SEGMENTS);
}

export interface CompactionResult {
  before: SegmentCounts;
  after: SegmentCounts;
  steps: number;
  seconds: number;
  /** stopped when asked, before the end: what was merged stays merged */
  stopped: boolean;
}

export interface CompactionOptions {
  /** polled between steps: true stops there */
  shouldStop?: () => boolean;
  /** pages a step writes (tests use a few, to take many steps) */
  pagesPerStep?: number;
  /** after every step, with the steps so far */
  onStep?: (steps: number) => void;
}

/**
 * Compacts the indexes if one has more than COMPACT_FROM_SEGMENTS segments (the import's end, the hourly job);
 * null when none needed it.
 */
export async function compactIfFragmented(
  store: SqliteStore,
  options: CompactionOptions & { onStart?: () => void } = {},
): Promise<CompactionResult | null> {
  const before = segmentCounts(store);
  if (!needsCompaction(before)) return null;
  options.onStart?.();
  return await merge(store, before, options);
}

/**
 * Merges each index's segments into one, a step at a time, yielding to the event loop between steps. As FTS5
 * documents, the index is fully merged once a step changes fewer than two rows.
 */
export async function compactFullTextIndex(
  store: SqliteStore,
  options: CompactionOptions = {},
): Promise<CompactionResult> {
  return await merge(store, segmentCounts(store), options);
}

async function merge(
  store: SqliteStore,
  before: SegmentCounts,
  options: CompactionOptions,
): Promise<CompactionResult> {
  const started = performance.now();
  const pages = options.pagesPerStep ?? PAGES_PER_STEP;
  const changes = prepared(store, 'SELECT total_changes()').pluck();
  let steps = 0;
  let stopped = false;
  for (const table of FTS_TABLES) {
    if (before[table] <= 1) continue;
    const step = prepared(store, `INSERT INTO ${table} (${table}, rank) VALUES ('merge', ?)`);
    for (;;) {
      if (options.shouldStop?.()) {
        stopped = true;
        break;
      }
      const was = Number(changes.get());
      step.run(-pages);
      steps++;
      options.onStep?.(steps);
      if (Number(changes.get()) - was < 2) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (stopped) break;
  }
  return {
    before,
    after: segmentCounts(store),
    steps,
    seconds: (performance.now() - started) / 1000,
    stopped,
  };
}
