import { sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';
import type { WordCounter } from './suggest.store.ts';

/** On PostgreSQL a count walks the matches, so common words are counted up to this (enough to rank them). */
const POSTGRES_COUNT_CAP = 5_000;

/** PostgreSQL: each word's papers from the search vector's GIN index, all words in one statement. */
export function postgresCounter(store: PostgresStore): WordCounter {
  return async (words) => {
    if (words.length === 0) return [];
    const { rows } = await sql<{ n: string }>`
      SELECT (SELECT count(*) FROM (
        SELECT 1 FROM papers p WHERE p.search @@ to_tsquery('english', w.word) LIMIT ${POSTGRES_COUNT_CAP}
      ) s) AS n
      FROM unnest(${words}::text[]) WITH ORDINALITY AS w(word, i) ORDER BY w.i`.execute(store.db);
    return rows.map((r) => Number(r.n));
  };
}
