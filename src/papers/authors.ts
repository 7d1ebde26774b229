/**
 * Author names from arXiv's `authors` string: "A. Smith, B. Jones (MIT) and C. Doe", with LaTeX accents
 * (`Bal\'azs`) and affiliations in parentheses. Pure.
 *
 * @example parseAuthors("C. Bal\\'azs, E. L. Berger and P. Nadolsky (ANL)") // ['C. Balázs', 'E. L. Berger', 'P. Nadolsky']
 */
export function parseAuthors(value: unknown): string[] {
  if (Array.isArray(value))
    return value
      .filter((a): a is string => typeof a === 'string')
      .map(cleanName)
      .filter(Boolean);
  if (typeof value !== 'string') return [];
  const text = stripParentheses(decodeLatex(value.replace(/\s+/g, ' ')));
  return text
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*/i)
    .map(cleanName)
    .filter((name) => name !== '' && !/^(et al\.?|others)$/i.test(name));
}

function cleanName(name: string): string {
  return name.replace(/\s+/g, ' ').replace(/^[\s,;]+|[\s,;]+$/g, '');
}

/** Removes "(…)" groups, nested ones too: arXiv uses them for affiliations. */
function stripParentheses(text: string): string {
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

const COMBINING: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
  r: '\u030A',
};
const LETTERS: Record<string, string> = {
  o: 'ø',
  O: 'Ø',
  l: 'ł',
  L: 'Ł',
  ss: 'ß',
  aa: 'å',
  AA: 'Å',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  i: 'ı',
};

/** The LaTeX accents that occur in arXiv author lists → Unicode (NFC). */
export function decodeLatex(text: string): string {
  if (!text.includes('\\') && !text.includes('{')) return text;
  const accented = text
    .replace(
      /\{?\\([`'^"~=.])\s*\{?\\?([A-Za-z])\}?\}?/g,
      (_, accent: string, letter: string) => letter + COMBINING[accent],
    )
    .replace(
      /\{?\\([uvHckr])\s*\{\\?([A-Za-z])\}\}?/g,
      (_, accent: string, letter: string) => letter + COMBINING[accent],
    )
    .replace(
      /\{?\\([uvHckr]) ([A-Za-z])\}?/g,
      (_, accent: string, letter: string) => letter + COMBINING[accent],
    )
    .replace(/\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i)\b\s?\}?/g, (_, name: string) => LETTERS[name] ?? name)
    .replace(/[{}]/g, '')
    .replace(/\\&/g, '&');
  return accented.normalize('NFC');
}
