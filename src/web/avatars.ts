import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { escapeXml } from './format.ts';

/** `/avatars/{name}.svg`: a generated avatar (initial on a colour from the name), for API user objects. */
export function registerAvatarRoute(app: Hono<AppEnv>): void {
  app.get('/avatars/:file', (c) => {
    const file = c.req.param('file');
    const m = /^([A-Za-z0-9._-]{1,100})\.svg$/.exec(file);
    if (!m) return c.notFound();
    const name = m[1]!;
    const hue = createHash('sha1').update(name).digest()[0]! * (360 / 256);
    const initial = escapeXml(name.slice(0, 1).toUpperCase());
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'public, max-age=604800');
    return c.body(
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="32" fill="hsl(${Math.round(hue)} 55% 52%)"/><text x="32" y="42" font-size="30" text-anchor="middle" fill="#fff" font-family="system-ui, sans-serif">${initial}</text></svg>`,
    );
  });
}
