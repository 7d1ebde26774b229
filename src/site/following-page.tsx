import type { Hono } from 'hono';
import { describeFollow, type FollowKind } from '../follows/follow-keys.ts';
import { type Follow, followsOf } from '../follows/follows.store.ts';
import { followedPapers } from '../follows/notifications.store.ts';
import { topicPath } from '../keywords/topic.ts';
import { searchUrl } from '../search/request.ts';
import { NO_FILTERS } from '../search/search.store.ts';
import { requireViewer } from '../users/require.ts';
import type { AppEnv } from '../web/env.ts';
import { CsrfField } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { authorPath } from './author-pages.tsx';
import { voteContext } from './card-context.ts';
import type { AppDeps } from './deps.ts';
import { PaperCard } from './paper-card.tsx';

const FOLLOWED_PAPERS = 20;
const HEADINGS: Record<FollowKind, string> = {
  author: 'Authors',
  category: 'Categories',
  topic: 'Topics',
  search: 'Saved searches',
};

/** Where a follow's own page is. */
function followHref(f: Follow): string {
  if (f.kind === 'author') return authorPath(f.value);
  if (f.kind === 'category') return `/new?cat=${encodeURIComponent(f.value)}`;
  if (f.kind === 'topic') return topicPath(f.value);
  return searchUrl({ q: f.value, sort: 'relevance', filters: NO_FILTERS });
}

/** `/following`: what the member follows (with unfollow buttons) and the newest papers it found for them. */
export function registerFollowingPage(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/following', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const [follows, papers] = await Promise.all([
      followsOf(deps.store.db, auth.viewer.id),
      followedPapers(deps.store.db, auth.viewer.id, FOLLOWED_PAPERS),
    ]);
    const votes = await voteContext(
      c,
      deps,
      papers.map((p) => p.paper.id),
    );
    c.header('Cache-Control', 'private, no-store');
    const csrf = c.get('csrf');
    const kinds = (['author', 'category', 'topic', 'search'] as const).filter((k) =>
      follows.some((f) => f.kind === k),
    );
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Following', path: '/following' }}>
        <h1>Following</h1>
        <div class="paper-layout">
          <div>
            <h2>New for you</h2>
            {papers.length === 0 ? (
              <p class="empty">
                {follows.length === 0
                  ? 'You follow nothing yet: the Follow buttons are on author, category and topic pages, and “Save this search” on search results.'
                  : 'No new paper has matched what you follow since you started following it. New papers are checked every ten minutes.'}
              </p>
            ) : (
              <ol class="cards">
                {papers.map((p) => (
                  <>
                    <PaperCard paper={p.paper} votes={votes} />
                    {p.followKind && p.followValue ? (
                      <li class="reason">for {describeFollow(p.followKind, p.followValue)}</li>
                    ) : null}
                  </>
                ))}
              </ol>
            )}
            <p class="small">
              <a href="/notifications">All notifications</a>, replies and mentions included.
            </p>
          </div>
          <aside class="paper-side">
            {kinds.map((kind) => (
              <div class="box">
                <h2>{HEADINGS[kind]}</h2>
                <ul class="collections">
                  {follows
                    .filter((f) => f.kind === kind)
                    .map((f) => (
                      <li>
                        <a href={followHref(f)}>{f.value}</a>{' '}
                        <form method="post" action="/follows/delete" class="inline">
                          <CsrfField csrf={csrf} />
                          <input type="hidden" name="kind" value={f.kind} />
                          <input type="hidden" name="value" value={f.value} />
                          <input type="hidden" name="next" value="/following" />
                          <button type="submit" class="link small" aria-label={`Unfollow ${f.value}`}>
                            Unfollow
                          </button>
                        </form>
                      </li>
                    ))}
                </ul>
              </div>
            ))}
          </aside>
        </div>
      </Layout>,
    );
  });
}
