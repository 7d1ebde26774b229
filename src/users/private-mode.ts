import type { MiddlewareHandler } from 'hono';
import { apiError } from '../web/api-error.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { feedKeyViewer } from './feed-keys.store.ts';

/**
 * PRIVATE=true (docs/configuration.md): every answer needs a signed-in member, an API token, or, for feeds, a
 * member's secret feed key. What stays open is what a visitor needs to become a member and what carries its own
 * secret: the login, sign-up, invitation, single sign-on and password-reset pages, the health check, the static
 * files, and the digest links sent by email (each holds a token). Everything else is refused before any route
 * reads the store, so no route can forget to check.
 */
const OPEN: readonly RegExp[] = [
  /^\/login$/,
  /^\/logout$/,
  /^\/signup$/,
  /^\/invite\/[^/]+$/,
  /^\/auth\/oidc\/(start|callback)$/,
  /^\/forgot-password$/,
  /^\/reset-password$/,
  /^\/healthz$/,
  /^\/static\/[^/]+(\/[^/]+)?$/,
  /^\/favicon\.(ico|svg)$/,
  // digest emails: each link carries the subscription's own secret token
  /^\/unsubscribe\/[^/]+$/,
  /^\/subscription\/(confirm\/)?[^/]+$/,
  /^\/digest\/[^/]+\/[^/]+$/,
  // notification mail's one-click unsubscribe: signed for its member (src/follows/links.ts)
  /^\/notifications\/unsubscribe\/[^/]+$/,
];

export function privateMode(deps: WebDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.header('X-Robots-Tag', 'noindex, nofollow');
    const path = c.req.path;
    if (path === '/robots.txt') return c.text('User-agent: *\nDisallow: /\n');
    if (c.get('viewer') || OPEN.some((re) => re.test(path))) return next();
    const key = c.req.query('key');
    if (path.startsWith('/feeds/') && key) {
      const owner = await feedKeyViewer(deps.store.db, deps.secret, key);
      if (owner) {
        c.set('viewer', owner);
        c.set('auth', 'token');
        return next();
      }
    }
    c.header('Cache-Control', 'no-store');
    if (path.startsWith('/api/')) {
      c.header('WWW-Authenticate', 'Bearer');
      return apiError(c, 401, 'this instance is private: send an API token (Authorization: Bearer …)');
    }
    if (path.startsWith('/feeds/'))
      return c.text('This instance is private: use your own feed link, from Settings, with its key.', 401);
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return c.text('This instance is private: log in first.', 401);
    const login = `/login?next=${encodeURIComponent(path + new URL(c.req.url).search)}`;
    if (c.req.header('hx-request')) {
      c.header('HX-Redirect', login);
      return c.body(null, 401);
    }
    return c.redirect(login, 303);
  };
}
