/** Markers put around matched words in titles and snippets; pages escape the text and turn them into <mark>. */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';
