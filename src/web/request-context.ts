import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

/** What an operator's proxy may send as its own request id: short, plain characters only. */
const FORWARDED_ID = /^[\w.:-]{1,100}$/;

/**
 * Gives every request an id, sent back as `X-Request-Id` and written on every log line about the request and
 * on its error page, so an operator can find the one behind a user's report. Behind a trusted proxy the proxy's
 * `X-Request-Id` is kept when it is plain; otherwise (or from anyone else) a fresh one is made.
 */
export function requestContext(options: { baseUrl: string; trustProxy: boolean }): MiddlewareHandler<AppEnv> {
  const origin = new URL(options.baseUrl).origin;
  return async (c, next) => {
    const forwarded = options.trustProxy ? c.req.header('x-request-id') : undefined;
    const id = forwarded && FORWARDED_ID.test(forwarded) ? forwarded : randomBytes(8).toString('hex');
    c.set('requestId', id);
    c.set('origin', origin);
    await next();
    // on the response's headers, not c.header(): see the note in app.tsx on the API's CORS header
    c.res.headers.set('X-Request-Id', id);
  };
}
