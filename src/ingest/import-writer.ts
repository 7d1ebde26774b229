import type { Store } from '../db/connect.ts';
import type { HfDailyRecord } from './hf-daily.ts';
import { createPostgresImportWriter } from './import-postgres.store.ts';
import type { BatchCounts } from './import-rules.ts';
import { createSqliteImportWriter } from './import-sqlite.store.ts';
import type { ArxivItem } from './parse-file.ts';

/** Writes batches of parsed records into a store, one transaction per batch, whichever the engine. */
export interface ImportWriter {
  writeArxivBatch(items: ArxivItem[]): Promise<BatchCounts>;
  writeHfBatch(records: HfDailyRecord[]): Promise<BatchCounts>;
}

export function createImportWriter(store: Store): ImportWriter {
  if (store.dialect === 'postgres') return createPostgresImportWriter(store.db);
  const writer = createSqliteImportWriter(store.sqlite);
  return {
    writeArxivBatch: async (items) => writer.writeArxivBatch(items),
    writeHfBatch: async (records) => writer.writeHfBatch(records),
  };
}
