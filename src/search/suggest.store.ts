/**
 * Counts for spelling suggestions, from the FTS5 index itself: a candidate's paper count is read with a capped
 * MATCH (`LIMIT`), which FTS5 answers in microseconds whatever the word's frequency (FTS5 applies its own
 * tokenizer, so every form of a word counts); the few candidates that reach the cap get their exact count from
 * the fts5vocab table (cached). No vocabulary table to keep current.
 */
import type { SqliteStore } from '../db/connect.ts';
import type { ParsedQuery } from './query-parse.ts';
import { corpusStats } from './stats.store.ts';
import { isStopWord } from './stop-words.ts';
import { applyCorrections, bestCorrection, edits1, edits2 } from './suggest.ts';
import { foldWord, stemWord } from './tokens.ts';

/** Counts above this are all "common": enough to rank candidates. */
const COUNT_CAP = 200;
const MAX_WORDS = 6;

/** Papers containing a word (any form): capped counts, and exact ones (cached) for the common words. */
function counter(store: SqliteStore) {
  const statement = store.sqlite
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ${COUNT_CAP})`)
    .pluck();
  const seen = new Map<string, number>();
  return (word: string): number => {
    let n = seen.get(word);
    if (n === undefined) {
      n = Number(statement.get(`"${word}"`));
      if (n >= COUNT_CAP) {
        const stem = stemWord(word);
        n = corpusStats(store, [stem]).df.get(stem) ?? n;
      }
      seen.set(word, n);
    }
    return n;
  };
}

/**
 * The query with misspelt words corrected, or null when no word needs it (or none can be corrected).
 * @example suggestQuery(store, parseQuery('tranformer models'), 'tranformer models') // 'transformer models'
 */
export function suggestQuery(store: SqliteStore, query: ParsedQuery, input: string): string | null {
  const count = counter(store);
  const corrections = new Map<string, string>();
  const words = [...new Set(query.words.map(foldWord))].filter(
    (w) => /^[a-z]{3,30}$/.test(w) && !isStopWord(w),
  );
  for (const word of words.slice(0, MAX_WORDS)) {
    const own = count(word);
    if (own >= COUNT_CAP) continue; // common enough to be meant
    const near = edits1(word).map((w) => ({ word: w, papers: count(w) }));
    let best = bestCorrection(own, near);
    if (!best && word.length >= 6 && own === 0) {
      best = bestCorrection(
        own,
        edits2(word, 3000).map((w) => ({ word: w, papers: count(w) })),
      );
    }
    if (best) corrections.set(word, best);
  }
  if (corrections.size === 0) return null;
  const corrected = applyCorrections(input, corrections);
  return corrected === input ? null : corrected;
}
