import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import katex from 'katex';
import { unmark } from './marks.ts';
import { readableParts, type TextPart } from './readable-text.ts';

/**
 * Titles and abstracts with their `$…$` math typeset by KaTeX on the server: pages show formulas without
 * JavaScript, and nothing is fetched from elsewhere (KaTeX's stylesheet rides in ours, its fonts are served from
 * its npm package, web/static.ts). The prose around the math is rewritten by papers/readable-text.ts.
 */

/**
 * KaTeX's settings for text nobody here wrote: no \href, \url or \html… commands (trust: false), macros expanded
 * at most 200 times (`\def\a{\a\a}` cannot loop), no giant sizes, and TeX it cannot parse shown as its source,
 * in red, instead of an exception.
 */
const OPTIONS: katex.KatexOptions = {
  throwOnError: false,
  strict: 'ignore',
  trust: false,
  maxExpand: 200,
  maxSize: 10,
};

/** The HTML of the newest formulas: a day's list shows the same abstracts to every visitor. */
const typesetCache = new Map<string, string>();
const CACHE_ENTRIES = 5_000;

/** One formula's HTML (KaTeX output, and MathML for screen readers). */
export function typeset(tex: string): string {
  const cached = typesetCache.get(tex);
  if (cached !== undefined) return cached;
  let html: string;
  try {
    html = katex.renderToString(tex, OPTIONS);
  } catch {
    // throwOnError: false covers parse errors; anything else KaTeX throws (a limit) leaves the source as text
    html = '';
  }
  if (typesetCache.size >= CACHE_ENTRIES) typesetCache.delete(typesetCache.keys().next().value!);
  typesetCache.set(tex, html);
  return html;
}

/**
 * Parts of a text as page content: prose as escaped text (or as `mark` makes it), math typeset. A plain function,
 * not a component: a card calls it three times, and a text without math stays one string.
 */
export function texParts(parts: TextPart[], mark?: (prose: string) => Child): Child {
  const only = parts.length === 1 ? parts[0]! : null;
  if (only && 'prose' in only) return mark ? mark(only.prose) : only.prose;
  return parts.map((part) => {
    if ('prose' in part) return mark ? mark(part.prose) : part.prose;
    // a search's marks inside a formula are dropped: the formula is typeset, the match not highlighted
    const source = unmark(part.math);
    const html = typeset(source);
    return html ? raw(html) : `$${source}$`;
  });
}

/** A title or abstract with its math typeset. */
export function tex(text: string, mark?: (prose: string) => Child): Child {
  return texParts(readableParts(text), mark);
}

/**
 * The start of an abstract for a card, about `length` characters cut at a space, and the rest: a formula is never
 * cut (the head ends before it, or after it when ending before would leave less than 60 % of `length`).
 */
export function texExcerpt(text: string, length = 240): { head: TextPart[]; rest: TextPart[] } {
  const parts = readableParts(text);
  const head: TextPart[] = [];
  let used = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const size = 'prose' in part ? part.prose.length : part.math.length + 2;
    if (used + size <= length) {
      head.push(part);
      used += size;
      continue;
    }
    if ('math' in part) {
      if (used >= length * 0.6) return { head, rest: parts.slice(i) };
      return { head: [...head, part], rest: parts.slice(i + 1) };
    }
    const room = length - used;
    const cut = part.prose.lastIndexOf(' ', room);
    const at = cut > 0 && used + cut > length * 0.6 ? cut : room;
    head.push({ prose: part.prose.slice(0, at) });
    return { head, rest: [{ prose: part.prose.slice(at) }, ...parts.slice(i + 1)] };
  }
  return { head, rest: [] };
}
