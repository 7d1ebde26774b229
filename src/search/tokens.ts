/**
 * The FTS5 tokenizer `porter unicode61 remove_diacritics 2`, mirrored in TypeScript, so the re-ranker counts
 * words the way the index does. Pure. unicode61: letters and digits make tokens, case and diacritics are
 * folded; porter: Martin Porter's 1980 stemmer on tokens of 3 to 64 characters (the `stemmer` package; checked
 * against SQLite's own on the SciFact vocabulary in tokens.test.ts).
 *
 * @example indexTokens('Aligning Language Models') // ['align', 'languag', 'model']
 */
import { stemmer } from 'stemmer';

const TOKEN = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}/gu;
const NON_ASCII = /[^ -~]/;
const STEM_CACHE_LIMIT = 200_000;
const stems = new Map<string, string>();

/** Lower-cased, accents removed: Müller → muller. */
export function foldWord(word: string): string {
  const lower = word.toLowerCase();
  // most words are plain ASCII: skip the normalisation
  return NON_ASCII.test(lower) ? lower.normalize('NFD').replace(MARKS, '') : lower;
}

/** One folded word's stem, as FTS5's porter tokenizer makes it. */
export function stemWord(folded: string): string {
  if (folded.length < 3 || folded.length > 64 || !/^[a-z0-9]+$/.test(folded)) return folded;
  let stem = stems.get(folded);
  if (stem === undefined) {
    stem = stemmer(folded);
    if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
    stems.set(folded, stem);
  }
  return stem;
}

/** The terms FTS5 indexes for a text, in order. */
export function indexTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const folded = foldWord(m[0]);
    for (const part of folded.match(TOKEN) ?? []) out.push(stemWord(part));
  }
  return out;
}

/**
 * How often each stemmed query term occurs in a text, without stemming every word: porter only rewrites the
 * end of a word, so a word can stem to `s` only if it starts with `s` minus its last letter; only those words
 * are stemmed and compared.
 * @example termFrequencies('Aligning models to align', ['align', 'model']) // [2, 1]
 */
export function termFrequencies(text: string, matcher: TermMatcher): number[] {
  const counts: number[] = new Array(matcher.terms.length).fill(0);
  if (!matcher.pattern) return counts;
  const folded = foldWord(text);
  for (const m of folded.matchAll(matcher.pattern)) {
    const i = matcher.index.get(stemWord(m[0]));
    if (i !== undefined) counts[i]!++;
  }
  return counts;
}

export interface TermMatcher {
  terms: string[];
  index: Map<string, number>;
  pattern: RegExp | null;
}

/** Prepares `termFrequencies` for a query's stemmed terms. */
export function termMatcher(terms: string[]): TermMatcher {
  const prefixes = [...new Set(terms.map((t) => (t.length >= 3 ? t.slice(0, -1) : t)))]
    .filter((p) => /^[\p{L}\p{N}]+$/u.test(p))
    .sort((a, b) => b.length - a.length);
  return {
    terms,
    index: new Map(terms.map((t, i) => [t, i])),
    pattern:
      prefixes.length > 0
        ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${prefixes.join('|')})[\\p{L}\\p{N}]*`, 'gu')
        : null,
  };
}
