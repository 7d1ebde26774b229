import type BetterSqlite3 from 'better-sqlite3';
import type { KeyphraseWriter, PaperPhrases, PaperText } from './keyphrases.store.ts';

/**
 * The keywords job's reads and writes (KeyphraseWriter, keyphrases.store.ts). On SQLite: prepared statements on the better-sqlite3 handle, one
 * synchronous transaction per batch, like the import writer (docs/decisions.md D2); its PostgreSQL twin is
 * keyphrases.postgres.ts.
 */
export function createKeyphraseStore(sqlite: BetterSqlite3.Database): KeyphraseWriter {
  const pending = sqlite.prepare<[number, number], PaperText>(
    `SELECT p.pk, p.title, p.abstract, p.fingerprint FROM papers p
     LEFT JOIN paper_keyphrases k ON k.paper_pk = p.pk
     WHERE p.pk > ? AND (k.paper_pk IS NULL OR k.fingerprint != p.fingerprint)
     ORDER BY p.pk LIMIT ?`,
  );
  const upsert = sqlite.prepare(
    `INSERT INTO paper_keyphrases (paper_pk, fingerprint, phrases) VALUES (?, ?, ?)
     ON CONFLICT (paper_pk) DO UPDATE SET fingerprint = excluded.fingerprint, phrases = excluded.phrases`,
  );
  const clearIndex = sqlite.prepare('DELETE FROM keyphrase_index WHERE paper_pk = ?');
  const index = sqlite.prepare('INSERT OR IGNORE INTO keyphrase_index (phrase, paper_pk) VALUES (?, ?)');
  const write = sqlite.transaction((rows: PaperPhrases[]) => {
    for (const row of rows) {
      upsert.run(row.pk, row.fingerprint, JSON.stringify(row.phrases));
      clearIndex.run(row.pk);
      for (const phrase of row.phrases) index.run(phrase, row.pk);
    }
  }).immediate;
  return {
    pending: async (afterPk, limit) => pending.all(afterPk, limit),
    write: async (rows) => write(rows),
  };
}
