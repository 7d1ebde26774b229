import type { MiddlewareHandler } from 'hono';
import { ErrorPage } from './error-page.tsx';
import { clientAddress } from './rate-limit.ts';
import type { Site } from './site.ts';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Until accounts exist, admin pages are served only to the machine itself: a request whose connection comes
 * from a loopback address and that carries no proxy header (`Forwarded`, `X-Forwarded-For`, `X-Real-IP`; a
 * reverse proxy on the same machine connects from loopback too, and says so with one of these). A request with
 * no socket (`app.request()` in tests) is refused. The merge with accounts replaces this by the admin role.
 * Known gap: a local reverse proxy configured to send none of those headers would be let through.
 */
export function loopbackOnly(site: Site): MiddlewareHandler {
  return async (c, next) => {
    const address = clientAddress(c);
    const proxied = ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((h) => c.req.header(h) !== undefined);
    if (address !== null && isLoopback(address) && !proxied) {
      await next();
      return;
    }
    c.header('Cache-Control', 'no-store');
    c.status(403);
    return c.html(
      <ErrorPage
        site={site}
        status={403}
        title="Admin pages are served to this machine only"
        path={c.req.path}
      >
        <p>Open it from the server itself (e.g. through an SSH tunnel) until accounts with roles arrive.</p>
      </ErrorPage>,
    );
  };
}
