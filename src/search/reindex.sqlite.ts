/**
 * Rebuilds the full-text indexes (all columns; titles alone) from the papers table (FTS5 'rebuild') and merges its segments into one
 * ('optimize'), which makes every query read fewer b-trees. Needed only after changes made outside Paperboy
 * (the index is kept current on every import and edit) or to compact it after a large import.
 */
import type { SqliteStore } from '../db/connect.ts';
import { FTS_TABLES } from './fts5.sqlite.ts';

export interface ReindexFigures {
  papers: number;
  seconds: number;
}

export function rebuildFullTextIndex(store: SqliteStore): ReindexFigures {
  const started = performance.now();
  for (const table of FTS_TABLES) {
    store.sqlite.exec(`INSERT INTO ${table} (${table}) VALUES ('rebuild')`);
    store.sqlite.exec(`INSERT INTO ${table} (${table}) VALUES ('optimize')`);
  }
  const papers = Number(store.sqlite.prepare('SELECT count(*) FROM papers').pluck().get());
  return { papers, seconds: (performance.now() - started) / 1000 };
}
