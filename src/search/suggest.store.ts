/**
 * Counts for spelling suggestions, from the FTS5 index itself: a candidate's paper count is read with a capped
 * MATCH (`LIMIT`), which FTS5 answers in microseconds whatever the word's frequency (FTS5 applies its own
 * tokenizer, so every form of a word counts); the few candidates that reach the cap get their exact count from
 * the fts5vocab table (cached). No vocabulary table to keep current. On PostgreSQL the search vector's GIN index
 * counts them, every candidate in one statement. The counters are each engine's (suggest.sqlite.ts,
 * suggest.postgres.ts); choosing the corrections is shared.
 */
import type { ParsedQuery } from './query-parse.ts';
import { isStopWord } from './stop-words.ts';
import { applyCorrections, bestCorrection, edits1, edits2 } from './suggest.ts';
import { foldWord } from './tokens.ts';

/** Counts above this are all "common": enough to rank candidates. */
export const COUNT_CAP = 200;
const MAX_WORDS = 6;
/**
 * The most words one suggestion counts, over all the query's words: two 12-letter words' one-edit variants, and
 * two-edit ones with what is left. Without it, six long made-up words (6 × ~3,500 candidates) took 0.46 s warm and
 * 5 s cold on SQLite, 4 s warm and minutes cold on PostgreSQL, for a query anyone can send.
 */
export const SUGGESTION_BUDGET = 1_500;

/**
 * How many papers contain each word (any form): exact below COUNT_CAP, and at least COUNT_CAP for a common word
 * (counted further where that is cheap, to rank common candidates against each other).
 */
export type WordCounter = (words: string[]) => number[] | Promise<number[]>;

/** Counts each word once per suggestion. */
function remembering(count: WordCounter) {
  const seen = new Map<string, number>();
  return async (words: string[]): Promise<number[]> => {
    const missing = [...new Set(words.filter((w) => !seen.has(w)))];
    const counts = missing.length > 0 ? await count(missing) : [];
    for (const [i, w] of missing.entries()) seen.set(w, counts[i] ?? 0);
    return words.map((w) => seen.get(w) ?? 0);
  };
}

/**
 * The query with misspelt words corrected, or null when no word needs it (or none can be corrected); words are
 * counted by the store's counter (sqliteCounter, postgresCounter), made once per store.
 * @example await suggestQuery(sqliteCounter(store), parseQuery('tranformer models'), 'tranformer models') // 'transformer models'
 */
export async function suggestQuery(
  counter: WordCounter,
  query: ParsedQuery,
  input: string,
): Promise<string | null> {
  const count = remembering(counter);
  let left = SUGGESTION_BUDGET;
  const counted = async (candidates: string[]) => {
    const asked = candidates.slice(0, Math.max(0, left));
    left -= asked.length;
    const papers = await count(asked);
    return asked.map((word, i) => ({ word, papers: papers[i]! }));
  };
  const corrections = new Map<string, string>();
  const words = [...new Set(query.words.map(foldWord))].filter(
    (w) => /^[a-z]{3,30}$/.test(w) && !isStopWord(w),
  );
  for (const word of words.slice(0, MAX_WORDS)) {
    if (left <= 0) break;
    const [own = 0] = await count([word]);
    left--;
    if (own >= COUNT_CAP) continue; // common enough to be meant
    let best = bestCorrection(own, await counted(edits1(word)));
    if (!best && word.length >= 6 && own === 0 && left > 0)
      best = bestCorrection(own, await counted(edits2(word, left)));
    if (best) corrections.set(word, best);
  }
  if (corrections.size === 0) return null;
  const corrected = applyCorrections(input, corrections);
  return corrected === input ? null : corrected;
}
