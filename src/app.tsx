import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { registerFeatureApi } from './features/api.ts';
import { registerFeaturePages } from './features/pages.tsx';
import { registerHarvestAdmin } from './harvest/admin-page.tsx';
import { registerAddPaper } from './papers/add-paper.tsx';
import { registerPaperApi } from './papers/api.ts';
import { registerPaperPages } from './papers/pages.tsx';
import { registerSearchPages } from './search/pages.tsx';
import { registerAboutPage } from './web/about-page.tsx';
import { apiError } from './web/api-error.ts';
import { registerAvatarRoute } from './web/avatars.ts';
import type { AppDeps } from './web/deps.ts';
import { ErrorPage } from './web/error-page.tsx';
import { loopbackOnly } from './web/loopback-guard.tsx';
import { pageCache } from './web/page-cache.ts';
import { registerStaticRoutes } from './web/static.ts';

/**
 * Builds the Hono app from the domain route tables. Routes are thin: check input, call the domain, render.
 * Tests call `app.request()` on it with no server.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  if (deps.config.PAGE_CACHE_MB > 0) {
    app.use(
      pageCache({ version: deps.store.dataVersion, maxBytes: deps.config.PAGE_CACHE_MB * 1024 * 1024 }),
    );
  }
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Access-Control-Allow-Origin', '*');
  });

  registerStaticRoutes(app);
  registerAvatarRoute(app);
  registerFeatureApi(app, deps);
  registerPaperApi(app, deps);
  registerFeaturePages(app, deps);
  registerSearchPages(app, deps);
  registerPaperPages(app, deps);
  registerAddPaper(app, deps);
  registerAboutPage(app, deps);
  // Until accounts with roles exist, admin pages answer only the machine itself; the merge with accounts
  // replaces this guard by the admin role.
  registerHarvestAdmin(app, deps, loopbackOnly(deps.site));

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/'))
      return apiError(c, 404, `no API endpoint at ${c.req.path.slice(0, 100)}`);
    c.status(404);
    return c.html(
      <ErrorPage site={deps.site} status={404} title="Page not found" path={c.req.path}>
        <p>There is no page at this address.</p>
      </ErrorPage>,
    );
  });

  app.onError((err, c) => {
    deps.log.error({ err, path: c.req.path, method: c.req.method }, 'request failed');
    if (c.req.path.startsWith('/api/')) return apiError(c, 500, 'internal error; it has been logged');
    c.status(500);
    return c.html(
      <ErrorPage site={deps.site} status={500} title="Something went wrong" path={c.req.path}>
        <p>The error has been logged. Try again in a moment.</p>
      </ErrorPage>,
    );
  });
  return app;
}
