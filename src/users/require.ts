import type { Context, MiddlewareHandler } from 'hono';
import type { Role } from '../db/schema.ts';
import { apiError } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import { refererPath } from '../web/redirect.ts';
import type { Viewer } from './users.store.ts';

const RANK: Record<Role, number> = { member: 0, moderator: 1, admin: 2 };

/** True when the viewer has at least the role. */
export function hasRole(viewer: Viewer | null, role: Role): boolean {
  return viewer !== null && RANK[viewer.role] >= RANK[role];
}

/**
 * The signed-in member, or the answer to send instead: 401 JSON for the API, HX-Redirect for htmx, and a
 * redirect to the login page (coming back here afterwards) for pages.
 */
export function requireViewer(
  c: Context<AppEnv>,
  back?: string,
): { viewer: Viewer } | { response: Response } {
  const viewer = c.get('viewer');
  if (viewer) return { viewer };
  if (c.req.path.startsWith('/api/'))
    return { response: apiError(c, 401, 'log in or send an API token (Authorization: Bearer …)') };
  const next = back ?? (c.req.method === 'GET' ? c.req.path : refererPath(c));
  const login = `/login?next=${encodeURIComponent(next)}`;
  if (c.req.header('hx-request')) {
    c.header('HX-Redirect', login);
    return { response: c.body(null, 401) };
  }
  return { response: c.redirect(login, 303) };
}

/** A route guard: members with at least the role pass; others are sent to log in (401/303) or refused (403). */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    if (!hasRole(auth.viewer, role)) return c.text(`Only ${role}s can see this page.`, 403);
    await next();
  };
}
