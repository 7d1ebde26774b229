import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { unmatchedPaperApi } from '../site/paper-api.ts';
import { apiError, refused } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { who } from '../web/layout.tsx';
import type { AppDeps } from './deps.ts';

/** 404: JSON under /api/, a page elsewhere; a malformed paper id under /api/papers/ is a 400. */
export function notFound(deps: AppDeps): NotFoundHandler<AppEnv> {
  return (c) => {
    const badId = unmatchedPaperApi(c);
    if (badId) return badId;
    if (c.req.path.startsWith('/api/'))
      return apiError(c, 404, `no API endpoint at ${c.req.path.slice(0, 100)}`);
    c.status(404);
    return c.html(
      <ErrorPage {...who(c)} site={deps.site} status={404} title="Page not found" path={c.req.path}>
        <p>There is no page at this address.</p>
      </ErrorPage>,
    );
  };
}

/**
 * An error no route answered. A 4xx raised by Hono or a middleware (an unreadable body, say) is answered as
 * such. Anything else is logged with the request id, the method and the route pattern (not the path, which can
 * hold a secret link's token), and the visitor sees a 500 that names the request id and nothing of the error.
 */
export function onError(deps: AppDeps): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof HTTPException && err.status < 500) return refused(c, err.status, err.message);
    const requestId = c.get('requestId') ?? 'none';
    deps.log.error({ err, requestId, method: c.req.method, route: c.req.routePath }, 'request failed');
    if (c.req.path.startsWith('/api/'))
      return apiError(c, 500, `internal error; it has been logged as request ${requestId}`);
    c.status(500);
    return c.html(
      <ErrorPage {...who(c)} site={deps.site} status={500} title="Something went wrong" path={c.req.path}>
        <p>The error has been logged. Try again in a moment.</p>
        <p class="muted">
          If it goes on, tell the people who run this site the request id <code>{requestId}</code>.
        </p>
      </ErrorPage>,
    );
  };
}
