/**
 * Rebuilds the full-text index from the papers table (FTS5 'rebuild') and merges its segments into one
 * ('optimize'), which makes every query read fewer b-trees. Needed only after changes made outside Paperboy
 * (the index is kept current on every import and edit) or to compact it after a large import.
 */
import type { SqliteStore } from '../db/connect.ts';
import { FTS_TABLE } from './sqlite-fts.ts';

export interface ReindexFigures {
  papers: number;
  seconds: number;
}

export function rebuildFullTextIndex(store: SqliteStore): ReindexFigures {
  const started = performance.now();
  store.sqlite.exec(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}) VALUES ('rebuild')`);
  store.sqlite.exec(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}) VALUES ('optimize')`);
  const papers = Number(store.sqlite.prepare('SELECT count(*) FROM papers').pluck().get());
  return { papers, seconds: (performance.now() - started) / 1000 };
}

/** Merges the index's segments into one, without re-reading the papers. */
export function optimizeFullTextIndex(store: SqliteStore): void {
  store.sqlite.exec(`INSERT INTO ${FTS_TABLE} (${FTS_TABLE}) VALUES ('optimize')`);
}
