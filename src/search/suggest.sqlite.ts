import type { SqliteStore } from '../db/connect.ts';
import { prepared } from './statements.sqlite.ts';
import { corpusStats } from './stats.sqlite.ts';
import { COUNT_CAP, type WordCounter } from './suggest.store.ts';
import { stemWord } from './tokens.ts';

/** SQLite: capped MATCH counts, and exact ones (cached document counts) for the common words. */
export function sqliteCounter(store: SqliteStore): WordCounter {
  return (words) => {
    // prepared once per store (statements.sqlite.ts), on first use: the service may exist before the index does
    const statement = prepared(
      store,
      `SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ${COUNT_CAP})`,
    ).pluck();
    return words.map((word) => {
      const n = Number(statement.get(`"${word}"`));
      if (n < COUNT_CAP) return n;
      const stem = stemWord(word);
      return corpusStats(store, [stem]).df.get(stem) ?? n;
    });
  };
}
