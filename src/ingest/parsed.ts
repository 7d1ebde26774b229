/** What a pure ingest parser returns for one record: the value, or the reason it was rejected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function accept<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function reject<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Limits that keep one hostile record from bloating the store. */
export const LIMITS = {
  title: 1000,
  abstract: 20_000,
  authors: 5000,
  authorName: 300,
  comments: 2000,
  url: 500,
};

/** An http(s) URL of reasonable length, or null: only these are ever put in a link. */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length === 0 || text.length > LIMITS.url) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}
