/**
 * The search query language, parsed. Pure. Whatever a person types is a valid query: syntax that does not parse
 * is read as words, and only letters and digits survive into terms, so nothing typed can reach the database as
 * FTS5 syntax (`NEAR`, `*`, `^`, column filters and stray quotes are all read as words or dropped).
 *
 * | typed | meaning |
 * |---|---|
 * | `sparse experts` | papers with both words (any form: porter stemming) |
 * | `"mixture of experts"` | the exact phrase |
 * | `-vision`, `-"image generation"` | leave out papers with the word or phrase |
 * | `diffusion OR flow` | either word (OR binds tighter than the space between words) |
 * | `author:hinton`, `author:"geoffrey hinton"` | an author's name (words of it, in order) |
 * | `cat:cs.CL` | a category (primary or cross-listed); `cat:cs` any cs.* category |
 * | `year:2024`, `after:2024-05`, `before:2023` | arXiv date range, inclusive (YYYY, YYYY-MM or YYYY-MM-DD) |
 *
 * @example parseQuery('"mixture of experts" -vision author:shazeer year:2017')
 * // { groups: [[{ words: ['mixture', 'of', 'experts'], phrase: true }]], excluded: [{ words: ['vision'], … }],
 * //   authors: [['shazeer']], categories: [], after: '2017-01-01', before: '2017-12-31', … }
 */
export const MAX_QUERY_LENGTH = 250;
/** terms beyond this are ignored: a pasted paragraph still searches, with its first words */
export const MAX_TERMS = 32;

/** A word or a phrase: words in order. */
export interface Term {
  words: string[];
  /** typed in quotes (or a word with inner punctuation, like GPT-4): the words must be adjacent */
  phrase: boolean;
}

export interface ParsedQuery {
  /** every group must match; a group matches when any of its terms does (`a OR b`) */
  groups: Term[][];
  excluded: Term[];
  /** author names, each a list of words that must be adjacent in the authors field */
  authors: string[][];
  /** categories as their words: cs.CL → ['cs', 'cl'] */
  categories: string[][];
  /** inclusive YYYY-MM-DD bounds on the arXiv date */
  after: string | null;
  before: string | null;
  /** every word looked for, in typed order (for highlighting, suggestions and messages) */
  words: string[];
}

const WORD = /[\p{L}\p{N}]+/gu;
const FIELDS = new Set(['author', 'cat', 'year', 'after', 'before']);

/** Lower-case words of a piece of text: letters and digits only. */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).slice(0, MAX_TERMS);
}

interface Token {
  text: string;
  quoted: boolean;
  negated: boolean;
  /** `field:` before the text, lower-cased */
  field: string | null;
}

/** Splits on spaces, keeping "quoted phrases" together; an unbalanced quote reads the rest as plain words. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /(-?)(?:([A-Za-z]+):)?"([^"]*)"|(\S+)/g;
  const closed = (input.match(/"/g) ?? []).length % 2 === 0 ? input : `${input.replace(/"(?=[^"]*$)/, ' ')}`;
  for (const m of closed.matchAll(pattern)) {
    if (m[3] !== undefined) {
      const field = m[2]?.toLowerCase() ?? null;
      tokens.push({
        text: m[3],
        quoted: true,
        negated: m[1] === '-',
        field: field && FIELDS.has(field) ? field : null,
      });
      if (field && !FIELDS.has(field)) tokens[tokens.length - 1]!.text = `${m[2]} ${m[3]}`;
      continue;
    }
    let text = m[4]!.replace(/"/g, ' ');
    let negated = false;
    if (text.length > 1 && text.startsWith('-')) {
      negated = true;
      text = text.slice(1);
    }
    const field = /^([A-Za-z]+):(.+)$/.exec(text);
    if (field && FIELDS.has(field[1]!.toLowerCase())) {
      tokens.push({ text: field[2]!, quoted: false, negated, field: field[1]!.toLowerCase() });
    } else tokens.push({ text, quoted: false, negated, field: null });
  }
  return tokens;
}

/**
 * A date bound: YYYY, YYYY-MM or YYYY-MM-DD, as the first or last day it covers; null when it is no date.
 * @example dateBound('2024-02', 'end') // '2024-02-29'
 */
export function dateBound(text: string, side: 'start' | 'end'): string | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 1900 || year > 2200) return null;
  const month = m[2] ? Number(m[2]) : null;
  const day = m[3] ? Number(m[3]) : null;
  if (month !== null && (month < 1 || month > 12)) return null;
  const lastDay = (mm: number) => new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (day !== null && (day < 1 || day > lastDay(month!))) return null;
  const mm = month ?? (side === 'start' ? 1 : 12);
  const dd = day ?? (side === 'start' ? 1 : lastDay(mm));
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

const later = (a: string | null, b: string) => (a === null || b > a ? b : a);
const earlier = (a: string | null, b: string) => (a === null || b < a ? b : a);

/** Parses what a person typed. Never throws; see the table in this file's doc comment. */
export function parseQuery(input: string): ParsedQuery {
  const query: ParsedQuery = {
    groups: [],
    excluded: [],
    authors: [],
    categories: [],
    after: null,
    before: null,
    words: [],
  };
  const text = input.normalize('NFC').slice(0, MAX_QUERY_LENGTH * 4);
  let terms = 0;
  let joinNext = false;
  for (const token of tokenize(text)) {
    if (terms >= MAX_TERMS) break;
    if (token.field && !token.negated && applyField(query, token)) {
      terms++;
      joinNext = false;
      continue;
    }
    // a field that did not parse is read as words (`year:soon` looks for "year soon"); `-author:x` leaves out x
    const source =
      token.field && !token.negated && !token.quoted ? `${token.field} ${token.text}` : token.text;
    if (!token.quoted && !token.negated && token.text === 'OR') {
      joinNext = query.groups.length > 0;
      continue;
    }
    const words = wordsOf(source);
    if (words.length === 0) continue;
    const term: Term = { words, phrase: token.quoted || words.length > 1 };
    terms++;
    if (token.negated) {
      query.excluded.push(term);
      continue;
    }
    query.words.push(...words);
    if (joinNext) query.groups[query.groups.length - 1]!.push(term);
    else query.groups.push([term]);
    joinNext = false;
  }
  return query;
}

/** `author:`, `cat:`, `year:`, `after:`, `before:`; false when the value is not one (then it is read as words). */
function applyField(query: ParsedQuery, token: Token): boolean {
  const value = token.text.trim();
  switch (token.field) {
    case 'author': {
      const words = wordsOf(value);
      if (words.length === 0) return false;
      query.authors.push(words);
      return true;
    }
    case 'cat': {
      if (!/^[A-Za-z-]+(\.[A-Za-z-]+)?$/.test(value)) return false;
      query.categories.push(wordsOf(value));
      return true;
    }
    case 'year': {
      const start = /^\d{4}$/.test(value) ? dateBound(value, 'start') : null;
      if (!start) return false;
      query.after = later(query.after, start);
      query.before = earlier(query.before, dateBound(value, 'end')!);
      return true;
    }
    case 'after': {
      const start = dateBound(value, 'start');
      if (!start) return false;
      query.after = later(query.after, start);
      return true;
    }
    case 'before': {
      const end = dateBound(value, 'end');
      if (!end) return false;
      query.before = earlier(query.before, end);
      return true;
    }
    default:
      return false;
  }
}

/** True when the query asks for something: words to look for, or an author or category to filter by. */
export function isSearchable(query: ParsedQuery): boolean {
  return query.groups.length > 0 || query.authors.length > 0 || query.categories.length > 0;
}
