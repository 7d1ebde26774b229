/**
 * Person names as arXiv lists them ("Jane Doe", "J. Doe", "Doe, Jane", "Jean-Luc van der Berg Jr."): split
 * into given and family parts for citations, and normalised into keys for author pages. Pure.
 */
export interface NameParts {
  given: string;
  family: string;
  /** "Jr.", "III" */
  suffix: string;
}

const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'da',
  'di',
  'du',
  'dos',
  'das',
  'le',
  'la',
  'ter',
  'ten',
  'bin',
  'al',
  'el',
]);
const SUFFIX = /^(jr\.?|sr\.?|ii|iii|iv)$/i;

/**
 * @example splitName('Jean-Luc van der Berg Jr.') // { given: 'Jean-Luc', family: 'van der Berg', suffix: 'Jr.' }
 * @example splitName('Doe, Jane') // { given: 'Jane', family: 'Doe', suffix: '' }
 */
export function splitName(name: string): NameParts {
  const text = name.replace(/\s+/g, ' ').trim();
  const comma = text.indexOf(',');
  if (comma > 0) {
    const family = text.slice(0, comma).trim();
    const after = text
      .slice(comma + 1)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // "Doe, Jr., Jane" (BibTeX order) or "Doe, Jane"
    if (after.length >= 2 && SUFFIX.test(after[0]!))
      return { family, suffix: after[0]!, given: after.slice(1).join(' ') };
    return { family, given: after.join(' '), suffix: '' };
  }
  const words = text.split(' ').filter(Boolean);
  let suffix = '';
  if (words.length > 2 && SUFFIX.test(words.at(-1)!)) suffix = words.pop()!;
  if (words.length <= 1) return { given: '', family: words[0] ?? '', suffix };
  // the family name starts at the first lower-case particle after the first word, else it is the last word
  let start = words.length - 1;
  for (let i = 1; i < words.length - 1; i++) {
    if (PARTICLES.has(words[i]!)) {
      start = i;
      break;
    }
  }
  return { given: words.slice(0, start).join(' '), family: words.slice(start).join(' '), suffix };
}

/** Lower case, accents and punctuation folded, whitespace collapsed: the form names are compared in. */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[ø]/gi, 'o')
    .replace(/[ł]/gi, 'l')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The key an author page is filed under: "Given Family" folded, with "Family, Given" turned around and suffixes
 * dropped. Two spellings of one name get one key; two different names never do.
 * @example authorKey('Müller, Jürgen') // 'jurgen muller'
 * @example authorKey('J. Doe') // 'j doe'
 */
export function authorKey(name: string): string {
  const parts = splitName(name);
  return foldName(`${parts.given} ${parts.family}`);
}

/** The given names of a key as initials: 'jane marie doe' → { initials: 'jm', family: 'doe' }. */
export function initialsOf(key: string): { initials: string; family: string } {
  const words = key.split(' ');
  const family = words.pop() ?? '';
  return { initials: words.map((w) => w[0]).join(''), family };
}

/** True when a key's given names are initials only ("j doe", "j m doe"). */
export function isAbbreviated(key: string): boolean {
  const words = key.split(' ');
  return words.length >= 2 && words.slice(0, -1).every((w) => w.length === 1);
}

/**
 * Whether an abbreviated key could stand for a full one: same family name, and the initials are those of the
 * full given names in order ("j doe" ~ "jane doe", "j m doe" ~ "jane marie doe", not "j doe" ~ "mary doe").
 */
export function couldBeSamePerson(abbreviated: string, full: string): boolean {
  if (!isAbbreviated(abbreviated) || isAbbreviated(full)) return false;
  const a = initialsOf(abbreviated);
  const f = initialsOf(full);
  return a.family === f.family && a.initials.length > 0 && f.initials.startsWith(a.initials);
}
