import { type Kysely, sql } from 'kysely';
import { buildIndex, bulkDroppableIndexes, presentIndexes } from '../db/search-indexes.postgres.ts';

/**
 * The bulk-load mode of a PostgreSQL import (docs/decisions.md D63): a large import into an empty or small
 * database drops the full-text indexes (papers_search, papers_authors_folded, and papers_search_rum when present)
 * first and builds them once at the end, which is cheaper than maintaining them row by row. Searches meanwhile
 * still give the right answers (tsvector @@ needs no index), only slower. The indexes come back in the import's
 * finally (a failure, or Ctrl-C's stop after the current batch), and, should the process be killed, at the next
 * start (ensureSearchIndexes from migrate.ts; the rum index by ensureRumIndex at the next serve or migrate).
 */

/** An arXiv record of the Kaggle snapshot is 1–2 KB; counting 2 KB errs towards fewer records (gzip: far fewer). */
export const BYTES_PER_RECORD_ESTIMATE = 2_000;
/** Below this many records expected, an import keeps the indexes: their rebuild would not pay. */
export const BULK_MIN_RECORDS = 20_000;

/**
 * The rule: bulk-load when the files (by size) bring at least BULK_MIN_RECORDS records and the database holds
 * fewer than a quarter as many papers as they bring: the rebuild then reads at most 1.25× the new papers.
 */
export function expectedRecords(inputBytes: number): number {
  return Math.floor(inputBytes / BYTES_PER_RECORD_ESTIMATE);
}

export function shouldBulkLoad(storedPapers: number, inputBytes: number): boolean {
  const incoming = expectedRecords(inputBytes);
  return incoming >= BULK_MIN_RECORDS && storedPapers < incoming / 4;
}

type AnyDb = Kysely<any>;

/** Whether the rule holds for this database: counts its papers, at most as many as the rule needs to know. */
export async function bulkLoadApplies(db: AnyDb, inputBytes: number): Promise<boolean> {
  const cap = Math.ceil(expectedRecords(inputBytes) / 4);
  if (expectedRecords(inputBytes) < BULK_MIN_RECORDS) return false;
  const counted = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM papers LIMIT ${cap}) AS counted`.execute(db);
  return shouldBulkLoad(Number(counted.rows[0]?.n ?? 0), inputBytes);
}

export interface BulkLoad {
  /** the indexes dropped, in the order they are re-created */
  dropped: string[];
  /** re-creates them (IF NOT EXISTS: harmless if another start already did) and says how long it took */
  finish(): Promise<{ indexes: string[]; seconds: number }>;
}

/** Drops the full-text indexes that exist, in one transaction; finish() builds them again from their definitions. */
export async function beginBulkLoad(db: AnyDb): Promise<BulkLoad> {
  const definitions = bulkDroppableIndexes();
  const present = await presentIndexes(db, Object.keys(definitions));
  const dropped = Object.keys(definitions).filter((name) => present.has(name));
  await db.transaction().execute(async (trx) => {
    for (const name of dropped) await sql.raw(`DROP INDEX IF EXISTS ${name}`).execute(trx);
  });
  return {
    dropped,
    async finish() {
      const started = performance.now();
      for (const name of dropped) await buildIndex(db, definitions[name]!);
      return { indexes: dropped, seconds: (performance.now() - started) / 1000 };
    },
  };
}
