import { unmark } from './marks.ts';

/**
 * arXiv titles and abstracts are written in LaTeX: "improves accuracy by 39.3\%", "Kullback--Leibler",
 * "\textbf{EvoVid}", "``bags-of-words''". About one abstract in five carries such markup (a sample of 2,500 cs
 * abstracts from 2026: `--` in 11 %, `\%` in 5 %, \textbf/\emph/\textit in 7 %). Pages show the text a reader
 * would have seen in the typeset paper; what is stored, searched and served by the API stays as arXiv wrote it.
 *
 * Only text outside math (`$…$`) is rewritten, and only markup whose meaning is certain; math, unknown macros and
 * anything unbalanced are left as they are: a reader can still make sense of them, and nothing is lost.
 */

/** `$…$` and `$$…$$` math (not an escaped `\$`), kept as it is. */
const MATH = /(?<!\\)\$\$[^$]{1,300}?(?<!\\)\$\$|(?<!\\)\$[^$]{1,300}?(?<!\\)\$/g;

/**
 * Two words in a row outside any `\cmd{…}`: not math but prose between two dollar signs of money ("costs $8.96 per
 * 1000 queries against a $20 plan"), which TeX would also have set in italics, but which the author meant as text.
 */
const PROSE_IN_DOLLARS = /[A-Za-z]{3,}\s+[A-Za-z]{3,}/;

function isMath(tex: string): boolean {
  // without the search's marks around matched words (search/marks.ts), which would split the words
  const bare = unmark(tex);
  return !PROSE_IN_DOLLARS.test(bare.replace(/\\[a-zA-Z]+\{[^{}]*\}/g, ''));
}

/** Font and box commands whose argument is plain text: `\textbf{X}` → `X`. */
const FONT =
  /\\(?:textbf|textit|textsl|textsc|texttt|textrm|textsf|textup|textnormal|emph|underline|mbox|text)\{([^{}\\]*)\}/g;

/** The old declarations inside braces: `{\em X}` → `X`. */
const OLD_FONT = /\{\\(?:em|bf|it|sl|sc|tt|rm|sf)\s+([^{}\\]*)\}/g;

function rewriteProse(text: string): string {
  // each rewrite only where its mark occurs: most abstracts have none, and a card renders two texts
  let out = text;
  if (out.includes('\\')) {
    out = out
      .replace(/\\([%&_#$])/g, '$1')
      .replace(FONT, '$1')
      .replace(FONT, '$1') // once more for one level of nesting: \textbf{\emph{X}}
      .replace(OLD_FONT, '$1')
      .replace(/\\url\{([^{}\s]*)\}/g, '$1')
      .replace(/\\href\{([^{}\s]*)\}\{([^{}\\]*)\}/g, '$2 ($1)')
      .replace(/\\(?:ldots|dots)(?![A-Za-z])(?:\{\})?/g, '…');
  }
  if (out.includes('{,}')) out = out.replaceAll('{,}', ',');
  if (out.includes('``')) out = out.replace(/``([^`'\n]{1,300})''/g, '“$1”');
  if (out.includes('--')) {
    // dashes: `---` em, `--` en; a run of more hyphens, an arrow (-->, <--) or a command-line flag (" --help")
    // is not a dash
    out = out
      .replace(/(?<![-<!])---(?![->])/g, '—')
      .replace(/(?<![-<!])--(?![->])/g, (dash, at: number, whole: string) =>
        (at === 0 || /\s/.test(whole[at - 1]!)) && /[A-Za-z]/.test(whole[at + 2] ?? '') ? dash : '–',
      );
  }
  return out;
}

/** Anything worth a second look: a backslash, a LaTeX dash or quote, a braced thousands separator. */
function mayHaveMarkup(text: string): boolean {
  return text.includes('\\') || text.includes('--') || text.includes('``') || text.includes('{,}');
}

/** A stretch of text: prose already rewritten, or the source of a `$…$` formula without its dollars. */
export type TextPart = { prose: string } | { math: string };

/** The formulas of a text, in order: where each stands (with its dollars) and its TeX; prose between dollars skipped. */
function* formulas(text: string): Generator<{ start: number; end: number; tex: string }> {
  for (const match of text.matchAll(MATH)) {
    const dollars = match[0].startsWith('$$') ? 2 : 1;
    const tex = match[0].slice(dollars, -dollars);
    if (isMath(tex)) yield { start: match.index, end: match.index + match[0].length, tex };
  }
}

/**
 * The text split into rewritten prose and math, in order, for pages that typeset the math (web/tex-text.tsx).
 * @example readableParts('40\\% of $x_1$') // [{ prose: '40% of ' }, { math: 'x_1' }]
 */
export function readableParts(text: string): TextPart[] {
  if (!text.includes('$')) return [{ prose: readableText(text) }];
  const parts: TextPart[] = [];
  let last = 0;
  for (const math of formulas(text)) {
    if (math.start > last) parts.push({ prose: rewriteProse(text.slice(last, math.start)) });
    parts.push({ math: math.tex });
    last = math.end;
  }
  if (last < text.length) parts.push({ prose: rewriteProse(text.slice(last)) });
  return parts;
}

/**
 * The text as a reader should see it, math left in its dollars: for titles in `<title>`, feeds and emails.
 * @example readableText('up to 40\\% faster than \\textbf{Kullback--Leibler} on $x_1$') // 'up to 40% faster than Kullback–Leibler on $x_1$'
 */
export function readableText(text: string): string {
  if (!mayHaveMarkup(text)) return text;
  let out = '';
  let last = 0;
  for (const math of formulas(text)) {
    out += rewriteProse(text.slice(last, math.start)) + text.slice(math.start, math.end);
    last = math.end;
  }
  return out + rewriteProse(text.slice(last));
}
