/**
 * What of a parsed query the ranking counts, on both engines: its content groups (stop words and repeats left
 * out) and their stemmed terms, as the SQLite index stems them (tokens.ts). Pure.
 */
import type { ParsedQuery, Term } from './query-parse.ts';
import { isStopWord } from './stop-words.ts';
import { indexTokens } from './tokens.ts';

const key = (group: Term[]) => group.map((t) => `"${t.words.join(' ')}"`).join(' OR ');

/**
 * The terms that count: single stop words ("the", "of") are left out when anything else is asked for
 * (they match nearly every paper, cost the most to read and add nothing to the ranking), and repeats once.
 */
export function contentGroups(query: ParsedQuery): Term[][] {
  const seen = new Set<string>();
  const groups: Term[][] = [];
  for (const group of query.groups) {
    const k = key(group);
    if (seen.has(k)) continue;
    seen.add(k);
    groups.push(group);
  }
  const content = groups.filter((g) => !(g.length === 1 && !g[0]!.phrase && isStopWord(g[0]!.words[0]!)));
  return content.length > 0 || query.authors.length + query.categories.length > 0 ? content : groups;
}

/** Stemmed content terms of the query, distinct, in order. */
export function queryTerms(query: ParsedQuery): string[] {
  return [...new Set(contentGroups(query).flatMap((g) => g.flatMap((t) => indexTokens(t.words.join(' ')))))];
}

/**
 * Each stemmed term with a word of the query that stems to it (the word PostgreSQL's own stemmer is given to
 * count the term's papers).
 */
export function termWords(query: ParsedQuery): { term: string; word: string }[] {
  const seen = new Map<string, string>();
  for (const group of contentGroups(query))
    for (const t of group)
      for (const word of t.words)
        for (const term of indexTokens(word)) if (!seen.has(term)) seen.set(term, word);
  return [...seen].map(([term, word]) => ({ term, word }));
}
