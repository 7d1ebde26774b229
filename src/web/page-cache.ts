import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { prefersMarkdown } from './accept.ts';

/**
 * Rendered answers kept in memory, keyed by URL and by the version of the data they were made from. Pages and
 * API answers for anonymous readers depend only on the data, so the same answer is sent again until anything
 * in the database changes (from this process or any other: see `Store.dataVersion`). Also answers
 * `If-None-Match` with 304. Bounded by total bytes, least recently used out first.
 */
export interface PageCacheOptions {
  /** the current version of the data: any change in the database changes it */
  version: () => Promise<string>;
  maxBytes: number;
}

interface Entry {
  version: string;
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  etag: string;
}

const CACHEABLE_TYPES =
  /^(text\/html|application\/json|text\/markdown|image\/svg\+xml|application\/(rss|atom)\+xml|application\/feed\+json|application\/x-bibtex|application\/x-research-info-systems|application\/vnd\.citationstyles\.csl\+json)/;

export function pageCache(options: PageCacheOptions): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (entry) {
      bytes -= entry.body.byteLength;
      entries.delete(key);
    }
  };

  return async (c, next) => {
    const method = c.req.method;
    // personal answers (a session or a token) are never shared
    if ((method !== 'GET' && method !== 'HEAD') || c.req.header('authorization') || c.req.header('cookie')) {
      return next();
    }
    // a paper's URL answers markdown to `Accept: text/markdown` (Vary: Accept): that variant is kept apart
    const key = prefersMarkdown(c.req.header('accept')) ? `${c.req.url} markdown` : c.req.url;
    const version = await options.version();
    const hit = entries.get(key);
    if (hit && hit.version === version) {
      entries.delete(key);
      entries.set(key, hit);
      if (c.req.header('if-none-match') === hit.etag)
        return new Response(null, { status: 304, headers: { etag: hit.etag } });
      return new Response(method === 'HEAD' ? null : hit.body, { status: hit.status, headers: hit.headers });
    }
    await next();
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    if (res.status !== 200 || !CACHEABLE_TYPES.test(type) || res.headers.has('set-cookie')) return;
    // answers that say so are never shared (admin pages: a cached copy would skip their guard)
    if (/no-store|private/i.test(res.headers.get('cache-control') ?? '')) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const etag = `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
    const headers: [string, string][] = [...res.headers.entries(), ['etag', etag]];
    c.res = new Response(body, { status: res.status, headers });
    if (body.byteLength > options.maxBytes / 8) return;
    remove(key);
    entries.set(key, { version, status: res.status, headers, body, etag });
    bytes += body.byteLength;
    for (const oldest of entries.keys()) {
      if (bytes <= options.maxBytes) break;
      remove(oldest);
    }
  };
}
