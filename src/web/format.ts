/** Small display helpers for pages. Pure. */

export { shortDate } from './dates.ts';

/** The first `count` authors and how many more there are. */
export function authorsPreview(authors: string[], count = 3): { shown: string[]; more: number } {
  return { shown: authors.slice(0, count), more: Math.max(0, authors.length - count) };
}

/** "1 comment", "3 comments". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** 1234 → "1.2k" for star counts. */
export function compactNumber(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(n);
}

/** The path of a paper's page; old-style ids keep their slash. */
export function paperPath(id: string): string {
  return `/papers/${id}`;
}

/** Text for XML and SVG documents built as strings (thumbnails, avatars). */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!,
  );
}
