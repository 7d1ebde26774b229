import type { MiddlewareHandler } from 'hono';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { unreadCount } from './notifications.store.ts';

/** Requests that render a page with the header: a signed-in browser asking for a whole page. */
const NO_HEADER = /^\/(api|feeds|static)\/|\.(svg|bib|md|json|ris|xml|rss|atom)$/;

/**
 * The header's unread count, for pages a signed-in browser asks for: one query on the partial index of unread
 * rows, counting no further than 100 (notifications.store.ts). API calls, feeds, files and htmx fragments skip it.
 */
export function unreadNotifications(deps: WebDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const viewer = c.get('viewer');
    if (
      viewer &&
      c.get('auth') === 'session' &&
      c.req.method === 'GET' &&
      !c.req.header('hx-request') &&
      !NO_HEADER.test(c.req.path)
    )
      c.set('unread', await unreadCount(deps.store.db, viewer.id));
    await next();
  };
}
