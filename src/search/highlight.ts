/**
 * Marks the words of a text that match the query, and cuts an abstract down to the part with the most of them,
 * as FTS5's highlight() and snippet() do, but in TypeScript on text already loaded: asking FTS5 for them costs a
 * MATCH per result (0.5 ms each for common words at 1M papers). Pure. A word matches when its folded, stemmed
 * form (tokens.ts) is one of the query's terms; the words of a phrase are marked one by one.
 *
 * @example markWords('Aligning models', termMatcher(['align'])) // '\u0002Aligning\u0003 models'
 */
import { MARK_END, MARK_START } from '../papers/marks.ts';
import { foldWord, isPlainAscii, type TermMatcher, termOf } from './tokens.ts';

const TOKEN = /[\p{L}\p{N}]+/gu;

interface Span {
  start: number;
  end: number;
  /** index of the query term it matches, or -1 */
  term: number;
}

/** The text's tokens with their offsets and the query term each matches. */
function spans(text: string, matcher: TermMatcher): Span[] {
  return isPlainAscii(text) ? spansOfAscii(text, matcher) : spansOfAnyText(text, matcher);
}

/**
 * ASCII text (most abstracts): lower-casing keeps every offset, so the query's prefix pattern runs once over the
 * whole text, as in termFrequencies, and its matches are laid over the tokens; no word is folded on its own.
 */
function spansOfAscii(text: string, matcher: TermMatcher): Span[] {
  const out: Span[] = [];
  // letters and digits make tokens; in ASCII those are 0-9, A-Z and a-z
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    const word = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
    if (word && start < 0) start = i;
    else if (!word && start >= 0) {
      out.push({ start, end: i, term: -1 });
      start = -1;
    }
  }
  const prefixes = matcher.asciiPattern;
  if (!prefixes || out.length === 0) return out;
  let at = 0;
  for (const m of text.toLowerCase().matchAll(prefixes)) {
    const i = termOf(matcher, m[0]);
    if (i < 0) continue;
    const start = m.index ?? 0;
    while (at < out.length && out[at]!.start < start) at++;
    if (at < out.length && out[at]!.start === start) out[at]!.term = i;
  }
  return out;
}

/** Any text: each word folded (accents, other scripts) and compared on its own. */
function spansOfAnyText(text: string, matcher: TermMatcher): Span[] {
  const out: Span[] = [];
  const prefixes = matcher.pattern;
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index ?? 0;
    let term = -1;
    if (prefixes) {
      const folded = foldWord(m[0]);
      prefixes.lastIndex = 0;
      // the same test as termFrequencies: only words starting with a term's stem are stemmed
      if (prefixes.test(folded)) {
        for (const part of folded.match(TOKEN) ?? []) {
          const i = termOf(matcher, part);
          if (i >= 0) term = i;
        }
      }
    }
    out.push({ start, end: start + m[0].length, term });
  }
  return out;
}

function render(text: string, list: Span[], from: number, to: number): string {
  let out = '';
  let at = list[from]?.start ?? 0;
  for (let i = from; i < to; i++) {
    const s = list[i]!;
    if (s.term < 0) continue;
    out += text.slice(at, s.start) + MARK_START + text.slice(s.start, s.end) + MARK_END;
    at = s.end;
  }
  return out + text.slice(at, list[to - 1]?.end ?? text.length);
}

/** The whole text with every matching word between MARK_START and MARK_END. */
export function markWords(text: string, matcher: TermMatcher): string {
  return markAll(text, spans(text, matcher));
}

function markAll(text: string, list: Span[]): string {
  if (list.length === 0) return text;
  return text.slice(0, list[0]!.start) + render(text, list, 0, list.length) + text.slice(list.at(-1)!.end);
}

/**
 * About `tokens` words of the text around its matches (the window with the most distinct query terms, then the
 * most matches, earliest first), marked, with '…' where text was cut.
 */
export function snippetOf(text: string, matcher: TermMatcher, tokens = 40): string {
  const list = spans(text, matcher);
  if (list.length <= tokens) return markAll(text, list);
  // one window slid over the tokens, keeping each term's count in it
  const counts = new Array<number>(matcher.terms.length).fill(0);
  let distinct = 0;
  let hits = 0;
  const add = (term: number, by: 1 | -1) => {
    if (term < 0) return;
    hits += by;
    counts[term]! += by;
    if (by === 1 && counts[term] === 1) distinct++;
    if (by === -1 && counts[term] === 0) distinct--;
  };
  for (let i = 0; i < tokens; i++) add(list[i]!.term, 1);
  let best = 0;
  let bestScore = -1;
  for (let start = 0; start + tokens <= list.length; start++) {
    if (start > 0) {
      add(list[start - 1]!.term, -1);
      add(list[start + tokens - 1]!.term, 1);
    }
    // windows starting on a match (or at the beginning) are the candidates
    if (start > 0 && list[start]!.term < 0) continue;
    const score = distinct * 1000 + hits;
    if (score > bestScore) {
      bestScore = score;
      best = start;
    }
  }
  // start a few words before the first match, so the sentence reads
  const from = Math.max(0, Math.min(best - 3, list.length - tokens));
  const to = Math.min(list.length, from + tokens);
  return `${from > 0 ? '…' : ''}${render(text, list, from, to)}${to < list.length ? '…' : ''}`;
}
