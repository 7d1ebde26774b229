import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { apiError, refused } from '../web/api-error.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { hashToken, safeEqual, sign } from './tokens.ts';
import { createSession, findSessionViewer, findTokenViewer } from './users.store.ts';

export const SESSION_COOKIE = 'pb_session';
const SESSION_MAX_AGE_S = 30 * 86_400;

/**
 * Who is asking: an API token (`Authorization: Bearer pb_…`) or a session cookie. Sets `viewer`, `auth`,
 * `csrf` and `clientAddress` on the context. A bad token is refused with 401 rather than treated as anonymous.
 */
export function identify(deps: WebDeps, secret: Buffer): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('clientAddress', clientAddress(c, deps.config.TRUST_PROXY));
    c.set('viewer', null);
    c.set('auth', null);
    c.set('csrf', null);
    const authorization = c.req.header('authorization');
    if (authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      const viewer = m ? await findTokenViewer(deps.store.db, m[1]!) : null;
      if (!viewer) {
        c.header('WWW-Authenticate', 'Bearer');
        return apiError(c, 401, 'the API token is not valid (create one under Settings)');
      }
      c.set('viewer', viewer);
      c.set('auth', 'token');
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const viewer = token.length <= 100 ? await findSessionViewer(deps.store.db, token) : null;
      if (viewer) {
        c.set('viewer', viewer);
        c.set('auth', 'session');
        c.set('csrf', csrfToken(secret, token));
      } else {
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
      }
    }
    return next();
  };
}

/** The CSRF token of a session: an HMAC of the session, so it needs no storage and dies with the session. */
export function csrfToken(secret: Buffer, sessionToken: string): string {
  return sign(secret, `csrf:${hashToken(sessionToken)}`);
}

/**
 * Every state change must come from this site: a cross-site Origin or `Sec-Fetch-Site: cross-site` is refused,
 * and a request made with a session cookie must also carry the session's CSRF token (form field `_csrf` or
 * header `X-CSRF-Token`, which htmx sends). Requests with an API token carry no cookie and need neither.
 */
export function csrfProtection(deps: WebDeps): MiddlewareHandler<AppEnv> {
  const allowed = new URL(deps.site.baseUrl).origin;
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    if (c.get('auth') === 'token') return next();
    const origin = c.req.header('origin');
    const ownOrigin = new URL(c.req.url).origin;
    if (
      (origin && origin !== allowed && origin !== ownOrigin) ||
      c.req.header('sec-fetch-site') === 'cross-site'
    ) {
      return forbidden(c, 'This request came from another site and was refused.');
    }
    if (c.get('auth') === 'session') {
      let sent = c.req.header('x-csrf-token');
      if (
        !sent &&
        /^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(c.req.header('content-type') ?? '')
      ) {
        const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        sent = typeof body._csrf === 'string' ? body._csrf : undefined;
      }
      const expected = c.get('csrf');
      if (!sent || !expected || !safeEqual(sent, expected)) {
        return forbidden(c, 'This form has expired. Go back, reload the page and try again.');
      }
    }
    return next();
  };
}

function forbidden(c: Context, message: string) {
  return refused(c, 403, message);
}

/** Signs a member in: a new session id every time (no fixation), in an HttpOnly, SameSite=Lax cookie. */
export async function startSession(c: Context, deps: WebDeps, userId: number): Promise<void> {
  const token = await createSession(deps.store.db, userId);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: deps.site.baseUrl.startsWith('https://'),
    path: '/',
    maxAge: SESSION_MAX_AGE_S,
  });
}

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
