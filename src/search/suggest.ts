/**
 * Spelling suggestions when a search finds nothing. Pure. Candidates are the words one edit away from a typed
 * word (Damerau–Levenshtein: a letter deleted, swapped with its neighbour, replaced or inserted — Norvig,
 * "How to Write a Spelling Corrector", 2007), and the store says how many papers contain each; the most
 * common wins if it is common enough. Two edits are tried for long words when one finds nothing.
 *
 * @example edits1('tranformer').includes('transformer') // true
 */
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Every string one edit away (deduplicated). */
export function edits1(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const left = word.slice(0, i);
    const right = word.slice(i);
    if (right) out.add(left + right.slice(1));
    if (right.length > 1) out.add(left + right[1] + right[0] + right.slice(2));
    for (const c of LETTERS) {
      if (right) out.add(left + c + right.slice(1));
      out.add(left + c + right);
    }
  }
  out.delete(word);
  return [...out];
}

/**
 * Strings two edits away that keep the first letter (people rarely misspell it), for long words only, the
 * likeliest first (a swap or a missing or extra letter, then anything), at most `limit` of them.
 */
export function edits2(word: string, limit = 5000): string[] {
  const out = new Set<string>();
  const first: string[] = [];
  for (let i = 0; i < word.length; i++) {
    const left = word.slice(0, i);
    const right = word.slice(i);
    if (right.length > 1) first.push(left + right[1] + right[0] + right.slice(2));
  }
  for (let i = 0; i < word.length; i++) first.push(word.slice(0, i) + word.slice(i + 1));
  for (const e1 of first) {
    for (const e2 of edits1(e1)) {
      if (e2[0] === word[0] && e2 !== word) out.add(e2);
      if (out.size >= limit) return [...out];
    }
  }
  return [...out];
}

/** The smallest count a correction needs, and by how much it must beat the typed word's. */
export const MIN_SUGGESTION_PAPERS = 3;
export const BETTER_BY = 10;

/**
 * The best correction among counted candidates, or null: the candidate in the most papers, if in at least
 * MIN_SUGGESTION_PAPERS and BETTER_BY times as many as the word itself. Ties: the earlier candidate.
 */
export function bestCorrection(ownCount: number, counted: { word: string; papers: number }[]): string | null {
  let best: { word: string; papers: number } | null = null;
  for (const c of counted) if (!best || c.papers > best.papers) best = c;
  if (!best || best.papers < MIN_SUGGESTION_PAPERS || best.papers < ownCount * BETTER_BY) return null;
  return best.word;
}

/** Replaces whole words of the typed query, case-insensitively, keeping everything else as typed. */
export function applyCorrections(input: string, corrections: Map<string, string>): string {
  if (corrections.size === 0) return input;
  return input.replace(/[\p{L}\p{N}]+/gu, (w) => corrections.get(w.toLowerCase()) ?? w);
}
