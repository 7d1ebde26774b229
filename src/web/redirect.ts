import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

/**
 * The one gate for redirect targets that come from a request (`next`, form fields, the Referer): the raw text
 * is parsed by the WHATWG URL parser against the instance's origin, exactly as a browser would resolve it, and
 * only a path on that origin is kept; anything else becomes `fallback`. The answer is re-serialised from the
 * parsed URL, so tabs, newlines, `\`, `/./`, `@` and percent tricks cannot survive into a Location header
 * (a browser drops tabs and newlines, so `/<TAB>/evil.example` would be `//evil.example`).
 */
export function localPath(raw: unknown, origin: string, fallback = '/'): string {
  if (typeof raw !== 'string' || raw === '' || raw.length > 2000) return fallback;
  const own = new URL(origin);
  let url: URL;
  try {
    url = new URL(raw, own);
  } catch {
    return fallback;
  }
  if (url.origin !== own.origin || url.username || url.password) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "//host" or "/\host" is another site to a browser; the parser has already turned "\" into "/"
  if (!path.startsWith('/') || path.startsWith('//')) return fallback;
  return path;
}

/** A 303 to a request-supplied target, through localPath. */
export function redirectLocal(c: Context, origin: string, raw: unknown, fallback = '/'): Response {
  return c.redirect(localPath(raw, origin, fallback), 303);
}

/** The page a request came from, when its Referer is an absolute URL on the instance; else `fallback`. */
export function refererPath(c: Context<AppEnv>, fallback = '/'): string {
  const referer = c.req.header('referer');
  return referer && URL.canParse(referer) ? localPath(referer, c.get('origin'), fallback) : fallback;
}
