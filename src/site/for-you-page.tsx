import type { Hono } from 'hono';
import { readableText } from '../papers/readable-text.ts';
import {
  digestForYou,
  forYouState,
  recommendationsFor,
  setDigestForYou,
} from '../recommendations/for-you.store.ts';
import { runForYou } from '../recommendations/for-you-job.ts';
import { requireViewer } from '../users/require.ts';
import type { AppEnv } from '../web/env.ts';
import { paperPath, plural, shortDate } from '../web/format.ts';
import { CsrfField, formFields } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { voteContext } from './card-context.ts';
import type { AppDeps } from './deps.ts';
import { PaperCard } from './paper-card.tsx';

const REFRESH_LIMIT = { max: 3, windowMs: 10 * 60_000 };

/** `/for-you`: a member's recommendations with the reason for each; update now; the digest opt-in. */
export function registerForYouRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/for-you', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const userId = auth.viewer.id;
    const [recs, state, digest] = await Promise.all([
      recommendationsFor(deps.store.db, userId, deps.config.FOR_YOU_RESULTS),
      forYouState(deps.store.db, userId),
      digestForYou(deps.store.db, userId),
    ]);
    const votes = await voteContext(
      c,
      deps,
      recs.map((r) => r.paper.id),
    );
    const csrf = c.get('csrf');
    c.header('Cache-Control', 'private, no-store');
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'For you', path: '/for-you' }}>
        <h1>For you</h1>
        <p class="muted small">
          New papers like the ones you upvoted and collected: a model of your own (tf-idf and a linear SVM, as
          arxiv-sanity does), retrained every day. <a href="/about#for-you">How it works</a>
          {state ? ` · trained on ${plural(state.positives, 'paper')}, ${shortDate(state.computed_at)}` : ''}
        </p>
        <form method="post" action="/for-you/refresh" class="inline">
          <CsrfField csrf={csrf} />
          <button type="submit">Update now</button>
        </form>
        {recs.length === 0 ? (
          <p class="empty">
            {state
              ? 'Nothing to recommend yet: upvote or collect a few more papers.'
              : 'No recommendations yet. Upvote papers or save them to a collection, then update.'}
          </p>
        ) : null}
        <ol class="cards">
          {recs.map((r) => (
            <>
              <PaperCard paper={r.paper} votes={votes} />
              <li class="reason">
                Because you {r.reasonKind === 'upvoted' ? 'upvoted' : 'collected'}{' '}
                <a href={paperPath(r.reasonPaperId)}>{readableText(r.reasonTitle)}</a>
              </li>
            </>
          ))}
        </ol>
        <section class="box" style="margin-top:24px">
          <h2>In your digest</h2>
          {digest ? (
            <form method="post" action="/for-you/digest" class="form">
              <CsrfField csrf={csrf} />
              <label>
                <input type="checkbox" name="for_you" value="1" checked={digest.for_you === 1} /> Add my top
                recommendations to my email digest
              </label>
              <button type="submit">Save</button>
            </form>
          ) : (
            <p class="muted">
              <a href="/subscribe">Subscribe to the digest</a> while logged in, then add your recommendations
              to it here.
            </p>
          )}
        </section>
      </Layout>,
    );
  });

  app.post('/for-you/refresh', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const limited = await deps.limiter.hit(`for-you:${auth.viewer.id}`, REFRESH_LIMIT);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'updates');
    await runForYou(deps.store, deps.config, { userIds: [auth.viewer.id], force: true });
    return c.redirect('/for-you', 303);
  });

  app.post('/for-you/digest', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const limited = await deps.limiter.hit(`for-you-digest:${auth.viewer.id}`, { max: 30, windowMs: 60_000 });
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'changes');
    const form = await formFields(c.req);
    if (form.for_you !== undefined && form.for_you !== '1')
      return c.text('for_you must be 1 or absent.', 400);
    const done = await setDigestForYou(deps.store.db, auth.viewer.id, form.for_you === '1');
    if (!done) return c.text('You have no digest subscription yet: subscribe first.', 404);
    return c.redirect('/for-you', 303);
  });
}
