/**
 * Markers around matched words in highlighted titles and snippets (FTS5 puts them there; char(2) and char(3)
 * cannot occur in stored text, which is normalised on import). Pages escape the text and turn them into
 * <mark> elements (web/paper-card.tsx); the API turns them into <span class="highlight">, as HF does.
 */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

/** Removes the markers: the plain text. */
export function unmark(text: string): string {
  return text.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
}
