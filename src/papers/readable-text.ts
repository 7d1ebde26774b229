/**
 * arXiv titles and abstracts are written in LaTeX: "improves accuracy by 39.3\%", "Kullback--Leibler",
 * "\textbf{EvoVid}", "``bags-of-words''". About one abstract in five carries such markup (a sample of 2,500 cs
 * abstracts from 2026: `--` in 11 %, `\%` in 5 %, \textbf/\emph/\textit in 7 %). Pages show the text a reader
 * would have seen in the typeset paper; what is stored, searched and served by the API stays as arXiv wrote it.
 *
 * Only text outside math (`$…$`) is rewritten, and only markup whose meaning is certain; math, unknown macros and
 * anything unbalanced are left as they are: a reader can still make sense of them, and nothing is lost.
 */

/** Anything worth a second look: a backslash, a LaTeX dash or quote, a braced thousands separator. */
const MAY_HAVE_MARKUP = /\\|--|``|\{,\}/;

/** `$…$` math (not an escaped `\$`), kept as it is. */
const MATH = /(?<!\\)\$[^$]{1,300}?(?<!\\)\$/g;

/** Font and box commands whose argument is plain text: `\textbf{X}` → `X`. */
const FONT =
  /\\(?:textbf|textit|textsl|textsc|texttt|textrm|textsf|textup|textnormal|emph|underline|mbox|text)\{([^{}\\]*)\}/g;

/** The old declarations inside braces: `{\em X}` → `X`. */
const OLD_FONT = /\{\\(?:em|bf|it|sl|sc|tt|rm|sf)\s+([^{}\\]*)\}/g;

function rewriteProse(text: string): string {
  return (
    text
      .replace(/\\([%&_#$])/g, '$1')
      .replace(FONT, '$1')
      .replace(FONT, '$1') // once more for one level of nesting: \textbf{\emph{X}}
      .replace(OLD_FONT, '$1')
      .replace(/\\url\{([^{}\s]*)\}/g, '$1')
      .replace(/\\href\{([^{}\s]*)\}\{([^{}\\]*)\}/g, '$2 ($1)')
      .replace(/\{,\}/g, ',')
      .replace(/\\(?:ldots|dots)(?![A-Za-z])(?:\{\})?/g, '…')
      .replace(/``([^`'\n]{1,300})''/g, '“$1”')
      // dashes: `---` em, `--` en; a run of more hyphens, an arrow (-->, <--) or a command-line flag (" --help")
      // is not a dash
      .replace(/(?<![-<!])---(?![->])/g, '—')
      .replace(/(?<![-<!])--(?![->])/g, (dash, at: number, whole: string) =>
        (at === 0 || /\s/.test(whole[at - 1]!)) && /[A-Za-z]/.test(whole[at + 2] ?? '') ? dash : '–',
      )
  );
}

/**
 * The text as a reader should see it on a page.
 * @example readableText('up to 40\\% faster than \\textbf{Kullback--Leibler} on $x_1$') // 'up to 40% faster than Kullback–Leibler on $x_1$'
 */
export function readableText(text: string): string {
  if (!MAY_HAVE_MARKUP.test(text)) return text;
  let out = '';
  let last = 0;
  for (const math of text.matchAll(MATH)) {
    out += rewriteProse(text.slice(last, math.index)) + math[0];
    last = math.index + math[0].length;
  }
  return out + rewriteProse(text.slice(last));
}
