import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { AppEnv, Viewer } from './env.ts';
import type { Site } from './site.ts';
import { CITE_JS_PATH, HTMX_PATH, STYLESHEET_PATH } from './static.ts';

export interface PageMeta {
  title: string;
  description?: string;
  /** the path of this page's canonical URL, e.g. /papers/date/2025-02-12 */
  path: string;
  ogType?: 'website' | 'article';
  /** the current query for the search box */
  query?: string;
  /** which header link is current */
  section?: 'daily' | 'trending' | 'new' | 'search' | 'submit';
  /** feeds of this page, for `<link rel="alternate">` discovery (paths on this site) */
  alternates?: { title: string; href: string; type: string }[];
}

/** Who is looking, for the header and forms: spread `{...who(c)}` into Layout. */
export function who(c: Context<AppEnv>): { viewer: Viewer | null; csrf: string | null; unread?: number } {
  const unread = c.get('unread');
  return { viewer: c.get('viewer') ?? null, csrf: c.get('csrf') ?? null, ...(unread ? { unread } : {}) };
}

/** The frame of every page: header with navigation, search and account links, main content, footer. */
export function Layout(props: {
  site: Site;
  meta: PageMeta;
  children: Child;
  viewer?: Viewer | null;
  csrf?: string | null;
  /** the viewer's unread notifications (who(c) passes it) */
  unread?: number;
}) {
  const { site, meta, viewer, csrf } = props;
  const fullTitle = meta.title === site.name ? site.name : `${meta.title} · ${site.name}`;
  const canonical = `${site.baseUrl}${meta.path}`;
  const description = meta.description ?? site.description;
  const current = (section: PageMeta['section']) => (meta.section === section ? 'page' : undefined);
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{fullTitle}</title>
          <meta name="description" content={description} />
          <link rel="canonical" href={canonical} />
          <meta property="og:site_name" content={site.name} />
          <meta property="og:title" content={meta.title} />
          <meta property="og:description" content={description} />
          <meta property="og:type" content={meta.ogType ?? 'website'} />
          <meta property="og:url" content={canonical} />
          <meta name="twitter:card" content="summary" />
          {(meta.alternates ?? []).map((a) => (
            <link rel="alternate" type={a.type} title={a.title} href={`${site.baseUrl}${a.href}`} />
          ))}
          <link rel="stylesheet" href={STYLESHEET_PATH} />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <script src={HTMX_PATH} defer />
          <script src={CITE_JS_PATH} defer />
        </head>
        <body hx-headers={csrf ? JSON.stringify({ 'X-CSRF-Token': csrf }) : undefined}>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <div class="wrap header-row">
              <a class="brand" href="/">
                <svg class="brand-mark" viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
                  <rect width="32" height="32" rx="7" fill="#f59e0b" />
                  <path d="M8 9h16v3H8zm0 5.5h16v3H8zm0 5.5h10v3H8z" fill="#fff" />
                </svg>
                {site.name}
              </a>
              <nav class="nav" aria-label="Main">
                <a href="/papers" aria-current={current('daily')}>
                  Daily
                </a>
                <a href="/papers/trending" aria-current={current('trending')}>
                  Trending
                </a>
                <a href="/new" aria-current={current('new')}>
                  New
                </a>
              </nav>
              <nav class="account" aria-label="Account">
                {viewer ? (
                  <>
                    <a href="/submit" aria-current={current('submit')}>
                      Submit
                    </a>
                    <a href="/for-you">For you</a>
                    <a href="/collections">Collections</a>
                    <a
                      href="/notifications"
                      aria-label={
                        props.unread
                          ? `Notifications, ${props.unread > 99 ? 'over 99' : props.unread} unread`
                          : undefined
                      }
                    >
                      Notifications
                      {props.unread ? (
                        <span class="unread-count">{props.unread > 99 ? '99+' : props.unread}</span>
                      ) : null}
                    </a>
                    <a href={`/u/${viewer.username}`}>{viewer.username}</a>
                    <a href="/settings">Settings</a>
                    <form method="post" action="/logout" class="inline">
                      <input type="hidden" name="_csrf" value={csrf ?? ''} />
                      <button type="submit" class="link">
                        Log out
                      </button>
                    </form>
                  </>
                ) : (
                  <>
                    <a href="/login">Log in</a>
                    <a href="/signup" class="button">
                      Sign up
                    </a>
                  </>
                )}
              </nav>
              {/* a plain GET form; with htmx, results replace the page's content as the reader types
                  (search/pages.tsx answers /search/live with the results alone and the address to show) */}
              <form class="search" action="/papers" method="get">
                <input
                  type="search"
                  name="q"
                  value={meta.query ?? ''}
                  placeholder="Search papers"
                  aria-label="Search papers"
                  maxlength={250}
                  autocomplete="off"
                  hx-get="/search/live"
                  hx-trigger="input changed delay:300ms, search"
                  hx-target="#main"
                  hx-swap="innerHTML"
                  hx-sync="this:replace"
                />
              </form>
            </div>
          </header>
          <main id="main" class="wrap">
            {props.children}
          </main>
          <footer class="site-footer">
            <div class="wrap">
              <span>
                {site.name} · a self-hosted Daily Papers site · <a href="/api/docs">API</a> ·{' '}
                <a href="/feeds">Feeds</a> · <a href="/teams">Teams</a> · <a href="/about">About</a> ·{' '}
                <a href="/moderation">Moderation log</a> · Paperboy {site.version}
              </span>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
