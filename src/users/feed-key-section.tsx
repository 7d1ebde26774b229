import type { Hono } from 'hono';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { CsrfField } from '../web/forms.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { resetFeedKey } from './feed-keys.store.ts';
import { requireViewer } from './require.ts';

/** The feeds a feed reader can follow with a member's key, on a private instance. */
const KEYED_FEEDS: readonly [string, string][] = [
  ['The daily list', '/feeds/daily.rss'],
  ['The weekly list', '/feeds/weekly.rss'],
  ['New papers', '/feeds/new.rss'],
];

/** Settings' "Feed links" on a private instance: the member's secret feed URLs, and a button to change the key. */
export function FeedKeySection(props: {
  baseUrl: string;
  feedKey: string;
  csrf: string | null;
  reset: boolean;
}) {
  const withKey = (path: string) => `${props.baseUrl}${path}?key=${encodeURIComponent(props.feedKey)}`;
  return (
    <>
      <h2>Feed links</h2>
      <p class="muted small">
        This instance is private, so feed readers need your own links. Keep them to yourself: anyone with one
        reads the feed as you. Any feed address works with <code>?key=…</code> added.
      </p>
      {props.reset ? <p class="notice notice-ok">New feed links made; the old ones no longer work.</p> : null}
      <ul class="feed-links">
        {KEYED_FEEDS.map(([label, path]) => (
          <li>
            {label}: <code class="secret">{withKey(path)}</code>
          </li>
        ))}
      </ul>
      <form method="post" action="/settings/feed-key" class="form">
        <CsrfField csrf={props.csrf} />
        <button type="submit">Make new feed links</button>
      </form>
    </>
  );
}

/** `POST /settings/feed-key`: a new key, which revokes every link made with the old one. */
export function registerFeedKeyRoute(app: Hono<AppEnv>, deps: WebDeps): void {
  app.post('/settings/feed-key', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const limited = await deps.limiter.hit(`feed-key:${auth.viewer.id}`, { max: 20, windowMs: 60 * 60_000 });
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'new feed links');
    await resetFeedKey(deps.store.db, auth.viewer.id);
    return c.redirect('/settings?done=feed-key', 303);
  });
}
