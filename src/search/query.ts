/**
 * Turns what a person types into a safe FTS5 query. Pure. Every word becomes a quoted FTS5 string, so no input
 * can be read as FTS5 syntax (no `NEAR`, `*`, `^`, column filters or unbalanced quotes reach SQLite).
 * "Exact phrases" in double quotes stay phrases; a leading `-` excludes a word.
 *
 * @example toFtsQuery('sparse "mixture of experts" -vision') // '"sparse" "mixture of experts" NOT "vision"'
 */
export const MAX_QUERY_LENGTH = 250;
const MAX_TERMS = 32;

export interface FtsQuery {
  /** the MATCH expression requiring every term, or null when nothing searchable is left */
  all: string | null;
  /** the same terms joined by OR, to widen a search that found nothing */
  any: string | null;
  /** the words, for highlighting and messages */
  words: string[];
  /** the text as typed (normalised, cut to the limit), for engines that parse it themselves (PostgreSQL) */
  text: string;
}

export function toFtsQuery(input: string): FtsQuery {
  // control characters (NUL above all: PostgreSQL refuses it in text) are never part of a search
  const text = input
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
    .slice(0, MAX_QUERY_LENGTH * 2);
  const required: string[] = [];
  const excluded: string[] = [];
  const words: string[] = [];
  const pattern = /(-?)"([^"]*)"|(-?)([^\s"]+)/g;
  for (const m of text.matchAll(pattern)) {
    const negative = (m[1] ?? m[3]) === '-';
    const raw = m[2] ?? m[4] ?? '';
    const tokens = raw.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (tokens.length === 0) continue;
    const term = `"${tokens.join(' ')}"`;
    if (negative) excluded.push(term);
    else {
      required.push(term);
      words.push(...tokens);
    }
    if (required.length + excluded.length >= MAX_TERMS) break;
  }
  if (required.length === 0) return { all: null, any: null, words: [], text };
  const not = excluded.map((t) => ` NOT ${t}`).join('');
  return {
    all: required.join(' ') + not,
    any: required.length > 1 ? `(${required.join(' OR ')})${not}` : null,
    words,
    text,
  };
}
