import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './env.ts';

/**
 * Static assets, read once at start and served with a content hash in the URL so browsers can keep them
 * for a year; a new release changes the hash.
 */
const require = createRequire(import.meta.url);

// KaTeX's stylesheet (typeset math, web/tex-text.tsx) rides in ours: one request, 3.6 KB more gzipped. Its fonts,
// `url(fonts/KaTeX_….woff2)` in it, resolve to /static/fonts/ and are served from its npm package.
const katexDist = dirname(require.resolve('katex/dist/katex.min.css'));
const css = Buffer.concat([
  readFileSync(join(import.meta.dirname, 'static', 'style.css')),
  Buffer.from('\n'),
  readFileSync(join(katexDist, 'katex.min.css')),
]);
const cssHash = createHash('sha256').update(css).digest('hex').slice(0, 12);

export const STYLESHEET_PATH = `/static/style.${cssHash}.css`;

const FONT_TYPES: Record<string, string> = { woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf' };
const katexFonts = new Map(
  readdirSync(join(katexDist, 'fonts'))
    .filter((name) => /^KaTeX_[\w-]+\.(woff2|woff|ttf)$/.test(name))
    .map((name) => [name, readFileSync(join(katexDist, 'fonts', name))]),
);

// htmx from its npm package, served from here: no CDN, nothing fetched from elsewhere
const htmx = readFileSync(require.resolve('htmx.org/dist/htmx.min.js'));
const htmxHash = createHash('sha256').update(htmx).digest('hex').slice(0, 12);
export const HTMX_PATH = `/static/htmx.${htmxHash}.js`;

// small scripts of our own (the CSP forbids inline ones)
const citeJs = readFileSync(join(import.meta.dirname, 'static', 'cite.js'));
export const CITE_JS_PATH = `/static/cite.${createHash('sha256').update(citeJs).digest('hex').slice(0, 12)}.js`;

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#f59e0b"/><path d="M8 9h16v3H8zm0 5.5h16v3H8zm0 5.5h10v3H8z" fill="#fff"/></svg>`;

export function registerStaticRoutes(app: Hono<AppEnv>): void {
  app.get(STYLESHEET_PATH, (c) => {
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(css);
  });
  app.get(HTMX_PATH, (c) => {
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(htmx);
  });
  app.get(CITE_JS_PATH, (c) => {
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(citeJs);
  });
  app.get('/static/fonts/:name', (c) => {
    const name = c.req.param('name');
    const font = katexFonts.get(name);
    if (!font) return c.notFound();
    // the names carry no hash: a month, not a year, in case a KaTeX release changes a font
    c.header('Cache-Control', 'public, max-age=2592000');
    c.header('Content-Type', FONT_TYPES[name.slice(name.lastIndexOf('.') + 1)]!);
    return c.body(font);
  });
  app.get('/favicon.svg', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    c.header('Content-Type', 'image/svg+xml');
    return c.body(FAVICON);
  });
  app.get('/favicon.ico', (c) => c.redirect('/favicon.svg', 301));
  app.get('/robots.txt', (c) => c.text('User-agent: *\nDisallow: /api/\n'));
}
