import { perEngine } from '../db/engine.ts';
import type { HfDailyRecord } from './hf-daily.ts';
import { createPostgresImportWriter } from './import.postgres.ts';
import { createSqliteImportWriter } from './import.sqlite.ts';
import type { BatchCounts } from './import-rules.ts';
import type { ArxivItem } from './parse-file.ts';

/** Writes batches of parsed records into a store, one transaction per batch, whichever the engine. */
export interface ImportWriter {
  writeArxivBatch(items: ArxivItem[]): Promise<BatchCounts>;
  writeHfBatch(records: HfDailyRecord[]): Promise<BatchCounts>;
}

/**
 * The import writer of a store's engine, built once per store. SQLite's is raw prepared statements in one
 * synchronous transaction a batch, kept for speed (docs/decisions.md D2); PostgreSQL's goes through Kysely, and
 * its new and changed arXiv papers through COPY and one set-based write a batch (D61).
 */
export const createImportWriter = perEngine<ImportWriter>({
  sqlite: (s) => {
    const writer = createSqliteImportWriter(s.sqlite);
    return {
      writeArxivBatch: async (items) => writer.writeArxivBatch(items),
      writeHfBatch: async (records) => writer.writeHfBatch(records),
    };
  },
  postgres: (s) => createPostgresImportWriter(s),
});
