import type { Hono } from 'hono';
import { collectionsOf } from '../collections/collections.store.ts';
import { commentsByUser } from '../comments/comments.store.ts';
import { featuresBySubmitter } from '../features/submit.store.ts';
import { readableText } from '../papers/readable-text.ts';
import { teamsOf } from '../teams/teams.store.ts';
import { hasRole } from '../users/require.ts';
import { findUserByUsername } from '../users/users.store.ts';
import { upvotedPaperIds } from '../votes/votes.store.ts';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { paperPath, shortDate } from '../web/format.ts';
import { CsrfField } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { CollectionList } from './collection-pages.tsx';
import type { AppDeps } from './deps.ts';

const LIMIT = 50;

/** /u/{username}: a member's submissions, comments and (if they allow it) upvotes. */
export function registerProfilePage(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/u/:username', async (c) => {
    const user = await findUserByUsername(deps.store.db, c.req.param('username').slice(0, 60));
    if (!user) {
      c.status(404);
      return c.html(
        <ErrorPage {...who(c)} site={deps.site} status={404} title="No such member" path={c.req.path}>
          <p>Nobody here has that username.</p>
        </ErrorPage>,
      );
    }
    const viewer = c.get('viewer');
    const showUpvotes = user.show_upvotes === 1 || viewer?.id === user.id;
    const [features, comments, upvotedIds, collections, teams] = await Promise.all([
      featuresBySubmitter(deps.store.db, user.id, LIMIT),
      commentsByUser(deps.store.db, user.id, LIMIT),
      showUpvotes ? upvotedPaperIds(deps.store.db, user.id, LIMIT) : Promise.resolve([]),
      collectionsOf(deps.store.db, user.id, viewer?.id === user.id),
      teamsOf(deps.store.db, user.id),
    ]);
    const csrf = c.get('csrf');
    const moderate = hasRole(viewer, 'moderator') && user.role === 'member' && viewer?.id !== user.id;
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: user.username, path: `/u/${user.username}` }}>
        <h1>{user.username}</h1>
        <p class="muted">
          {user.role !== 'member' ? `${user.role} · ` : ''}member since {shortDate(user.created_at)}
          {user.banned_at ? ' · banned' : ''}
        </p>
        {teams.length > 0 ? (
          <p class="small">
            Teams:{' '}
            {teams.map((t, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={`/teams/${t.slug}`}>{t.name}</a>
                {t.role === 'lead' ? ' (lead)' : ''}
              </>
            ))}
          </p>
        ) : null}
        {moderate ? (
          <form
            method="post"
            action={`/moderation/users/${user.username}/${user.banned_at ? 'unban' : 'ban'}`}
            class="form"
          >
            <CsrfField csrf={csrf} />
            <input
              name="reason"
              placeholder="Reason (shown in the public log)"
              maxlength={500}
              aria-label="Reason"
            />
            <button type="submit">{user.banned_at ? 'Lift the ban' : 'Ban this member'}</button>
          </form>
        ) : null}
        {hasRole(viewer, 'admin') && viewer?.id !== user.id ? (
          <form
            method="post"
            action={`/moderation/users/${user.username}/${user.role === 'moderator' ? 'member' : 'moderator'}`}
          >
            <CsrfField csrf={csrf} />
            <button type="submit">
              {user.role === 'moderator' ? 'Make a member again' : 'Make a moderator'}
            </button>
          </form>
        ) : null}
        <h2>Collections</h2>
        <CollectionList items={collections} empty="None yet." />
        <h2>Submitted papers</h2>
        {features.length === 0 ? <p class="muted">None yet.</p> : null}
        <ul>
          {features.map((f) => (
            <li>
              <a href={paperPath(f.paper_id)}>{readableText(f.title)}</a>{' '}
              <span class="muted small">
                ▲ {f.upvotes} · {shortDate(f.day)}
              </span>
            </li>
          ))}
        </ul>
        <h2>Comments</h2>
        {comments.length === 0 ? <p class="muted">None yet.</p> : null}
        <ul>
          {comments.map((cm) => (
            <li>
              on <a href={`${paperPath(cm.paper_id)}#comment-${cm.id}`}>{readableText(cm.title)}</a>{' '}
              <span class="muted small">{shortDate(cm.created_at)}</span>
              <br />
              <span class="small">{cm.body.slice(0, 200)}</span>
            </li>
          ))}
        </ul>
        {showUpvotes ? (
          <>
            <h2>Upvoted</h2>
            {upvotedIds.length === 0 ? <p class="muted">None yet.</p> : null}
            <ul>
              {upvotedIds.map((id) => (
                <li>
                  <a href={paperPath(id)}>{id}</a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Layout>,
    );
  });
}
