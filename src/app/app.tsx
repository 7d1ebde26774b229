import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { registerCodeLinkRoutes } from '../code-links/routes.tsx';
import { collectionFeed } from '../collections/feed.ts';
import { registerCommentRoutes } from '../comments/routes.tsx';
import { registerDigestPages } from '../digests/pages.tsx';
import { registerFollowRoutes } from '../follows/routes.tsx';
import { unreadNotifications } from '../follows/unread.ts';
import { registerHarvestAdmin } from '../harvest/admin-page.tsx';
import { registerModerationRoutes } from '../moderation/routes.tsx';
import { registerAboutPage } from '../site/about-page.tsx';
import { registerAddPaper } from '../site/add-paper.tsx';
import { registerApiDocs } from '../site/api-docs/routes.tsx';
import { registerAuthorRoutes } from '../site/author-pages.tsx';
import { registerCollectionRoutes } from '../site/collection-pages.tsx';
import { registerFeatureApi } from '../site/daily-api.ts';
import { registerFeaturePages } from '../site/daily-lists.tsx';
import { registerFeedRoutes } from '../site/feed-routes.tsx';
import { registerFollowingPage } from '../site/following-page.tsx';
import { registerForYouRoutes } from '../site/for-you-page.tsx';
import { registerPaperApi } from '../site/paper-api.ts';
import { registerPaperPages } from '../site/paper-page.tsx';
import { registerProfilePage } from '../site/profile-page.tsx';
import { registerSearchApi } from '../site/search-api.ts';
import { registerSearchPages } from '../site/search-pages.tsx';
import { registerSettingsPages } from '../site/settings-pages.tsx';
import { registerSubmitRoutes } from '../site/submit.tsx';
import { registerTeamPages } from '../site/team-pages.tsx';
import { registerTopicPages, topicFeed } from '../site/topic-pages.tsx';
import { registerTeamRoutes } from '../teams/routes.tsx';
import { csrfProtection, identify } from '../users/auth.ts';
import { registerAccountPages } from '../users/pages.tsx';
import { privateMode } from '../users/private-mode.ts';
import { requireRole } from '../users/require.ts';
import { registerVoteRoutes } from '../votes/routes.tsx';
import { apiError, refused } from '../web/api-error.ts';
import { registerAvatarRoute } from '../web/avatars.ts';
import type { AppEnv } from '../web/env.ts';
import { pageCache } from '../web/page-cache.ts';
import { requestContext } from '../web/request-context.ts';
import { registerStaticRoutes } from '../web/static.ts';
import { registerWebhookAdmin } from '../webhooks/admin-page.tsx';
import type { AppDeps } from './deps.ts';
import { notFound, onError } from './errors.tsx';
import { registerHealthCheck } from './health.ts';

/**
 * Builds the Hono app from the domain route tables. Routes are thin: check input, call the domain, render.
 * Tests call `app.request()` on it with no server.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestContext({ baseUrl: deps.site.baseUrl, trustProxy: deps.config.TRUST_PROXY }));
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
      // not no-referrer: with it Chromium sends `Origin: null` on same-site form posts, which the CSRF check refuses
      referrerPolicy: 'strict-origin-when-cross-origin',
    }),
  );
  // every body, whatever its type, is refused past MAX_BODY_KB before anything reads it
  app.use(
    bodyLimit({
      maxSize: deps.config.MAX_BODY_KB * 1024,
      onError: (c) => refused(c, 413, `The request body is larger than ${deps.config.MAX_BODY_KB} KB.`),
    }),
  );
  // a private instance caches no page: every answer depends on who is signed in
  if (deps.config.PAGE_CACHE_MB > 0 && !deps.config.PRIVATE) {
    app.use(
      pageCache({ version: deps.store.dataVersion, maxBytes: deps.config.PAGE_CACHE_MB * 1024 * 1024 }),
    );
  }
  // NUL in a path or query is never meaningful, and PostgreSQL refuses it in text: refuse it at the door
  app.use(async (c, next) => {
    if (c.req.path.includes('\u0000') || /%00/i.test(new URL(c.req.url).search)) {
      return c.req.path.startsWith('/api/')
        ? apiError(c, 400, 'NUL characters are not allowed')
        : c.text('Bad request: NUL characters are not allowed.', 400);
    }
    await next();
  });
  app.use(identify(deps, deps.secret));
  if (deps.config.PRIVATE) app.use(privateMode(deps));
  app.use(csrfProtection(deps));
  app.use(unreadNotifications(deps));
  app.use('/api/*', async (c, next) => {
    await next();
    // on the response's headers, as secureHeaders does: c.header() after next() would copy the whole response
    // (body included) into a new one, which cost a large API answer about a tenth of its time
    c.res.headers.set('Access-Control-Allow-Origin', '*');
  });

  registerHealthCheck(app, deps);
  registerStaticRoutes(app);
  registerAvatarRoute(app);
  registerAccountPages(app, deps);
  registerSettingsPages(app, deps);
  registerProfilePage(app, deps);
  registerSubmitRoutes(app, deps);
  registerVoteRoutes(app, deps);
  registerCommentRoutes(app, deps);
  registerModerationRoutes(app, deps);
  registerDigestPages(app, deps);
  registerApiDocs(app, deps);
  registerFeatureApi(app, deps);
  // before the catch-all /api/papers/* of the paper API
  registerSearchApi(app, deps);
  registerFeedRoutes(app, deps, [collectionFeed, topicFeed]);
  registerTopicPages(app, deps);
  registerCollectionRoutes(app, deps);
  registerTeamRoutes(app, deps);
  registerTeamPages(app, deps);
  registerAuthorRoutes(app, deps);
  registerCodeLinkRoutes(app, deps);
  registerForYouRoutes(app, deps);
  registerPaperApi(app, deps);
  registerFeaturePages(app, deps);
  registerSearchPages(app, deps);
  registerPaperPages(app, deps);
  registerAddPaper(app, deps);
  registerAboutPage(app, deps);
  registerHarvestAdmin(app, deps, requireRole('admin'));
  registerWebhookAdmin(app, deps, requireRole('admin'));
  registerFollowRoutes(app, deps);
  registerFollowingPage(app, deps);

  app.notFound(notFound(deps));
  app.onError(onError(deps));
  return app;
}
