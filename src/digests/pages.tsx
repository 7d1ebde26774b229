import type { Context, Hono } from 'hono';
import { topCategories } from '../papers/papers.store.ts';
import { requireRole } from '../users/require.ts';
import { emailSchema } from '../users/validation.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { CsrfField, Field, formLists, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { parseDigestPeriod } from './digest-period.ts';
import { CONFIRM_TTL_MS, makeToken, readToken } from './links.ts';
import { preferencesFromForm } from './preferences.ts';
import { composeDigest, digestCandidates, digestSourceFor } from './send.ts';
import {
  confirmSubscription,
  findSubscription,
  type Preferences,
  requestSubscription,
  type Subscription,
  unsubscribe,
  updatePreferences,
} from './subscriptions.store.ts';

const SUBSCRIBE_PER_ADDRESS = { max: 5, windowMs: 60 * 60_000 };
const SUBSCRIBE_PER_EMAIL = { max: 3, windowMs: 24 * 60 * 60_000 };

/** Subscribe, confirm, manage, unsubscribe, view in browser, and the admin preview. */
export function registerDigestPages(app: Hono<AppEnv>, deps: WebDeps): void {
  app.get('/subscribe', async (c) => preferencesPage(c, deps, { mode: 'subscribe' }));

  app.post('/subscribe', async (c) => {
    const limited = await deps.limiter.hit(`subscribe:${c.get('clientAddress')}`, SUBSCRIBE_PER_ADDRESS);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'subscriptions from your address');
    const form = await formLists(c.req);
    const email = emailSchema.safeParse(typeof form.email === 'string' ? form.email : '');
    if (!email.success)
      return preferencesPage(c, deps, { mode: 'subscribe', error: email.error.issues[0]!.message }, 400);
    const prefs = preferencesFromForm(form);
    if (!prefs.ok) return preferencesPage(c, deps, { mode: 'subscribe', error: prefs.error }, 400);
    const perEmail = await deps.limiter.hit(
      `subscribe-email:${email.data.toLowerCase()}`,
      SUBSCRIBE_PER_EMAIL,
    );
    if (perEmail.ok) {
      const { subscription, alreadyConfirmed } = await requestSubscription(
        deps.store.db,
        email.data,
        prefs.value,
        c.get('viewer')?.id ?? null,
      );
      await sendConfirmation(deps, subscription, alreadyConfirmed);
    }
    // the same page whether the address was new, pending, confirmed or over its limit
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Check your inbox', path: '/subscribe' }}>
        <h1>Check your inbox</h1>
        <p>We sent a message to the address you gave. Open the link in it to confirm; it works for 7 days.</p>
      </Layout>,
    );
  });

  app.get('/subscription/confirm/:token', async (c) => {
    const id = readToken(deps.secret, 'confirm', c.req.param('token'));
    if (id === null || !(await confirmSubscription(deps.store.db, id))) {
      c.status(400);
      return c.html(
        <Layout {...who(c)} site={deps.site} meta={{ title: 'Link expired', path: '/subscribe' }}>
          <h1>This link has expired</h1>
          <p>
            Confirmation links work for 7 days. <a href="/subscribe">Subscribe again</a> to get a new one.
          </p>
        </Layout>,
      );
    }
    return c.redirect(`/subscription/${makeToken(deps.secret, 'manage', id)}?confirmed=1`, 303);
  });

  app.get('/subscription/:token', async (c) => {
    const sub = await subscriptionFor(c, deps, 'manage');
    if (!sub) return badLink(c, deps);
    const notice = c.req.query('confirmed')
      ? 'Subscription confirmed. Your first digest comes with the next period.'
      : c.req.query('saved')
        ? 'Saved.'
        : undefined;
    return preferencesPage(c, deps, { mode: 'manage', sub, notice });
  });

  app.post('/subscription/:token', async (c) => {
    const sub = await subscriptionFor(c, deps, 'manage');
    if (!sub) return badLink(c, deps);
    const form = await formLists(c.req);
    const prefs = preferencesFromForm(form);
    if (!prefs.ok) return preferencesPage(c, deps, { mode: 'manage', sub, error: prefs.error }, 400);
    await updatePreferences(deps.store.db, sub.id, prefs.value);
    return c.redirect(`/subscription/${c.req.param('token')}?saved=1`, 303);
  });

  // the link in the mail's body: a page with one button (a GET never changes anything)
  app.get('/unsubscribe/:token', async (c) => {
    const sub = await subscriptionFor(c, deps, 'unsubscribe');
    if (!sub) return badLink(c, deps);
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Unsubscribe', path: '/unsubscribe' }}>
        <h1>Unsubscribe {sub.email}?</h1>
        {sub.status === 'unsubscribed' ? (
          <Notice kind="ok">You are unsubscribed: no more digests go to this address.</Notice>
        ) : (
          <form method="post" action={`/unsubscribe/${c.req.param('token')}`}>
            <CsrfField csrf={c.get('csrf')} />
            <button type="submit" class="primary">
              Unsubscribe
            </button>
          </form>
        )}
      </Layout>,
    );
  });

  // RFC 8058 one-click: mail clients POST here with `List-Unsubscribe=One-Click`; the signed token is the authority
  app.post('/unsubscribe/:token', async (c) => {
    const sub = await subscriptionFor(c, deps, 'unsubscribe');
    if (!sub) return badLink(c, deps);
    await unsubscribe(deps.store.db, sub.id);
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Unsubscribed', path: '/unsubscribe' }}>
        <h1>You are unsubscribed</h1>
        <p>
          No more digests go to {sub.email}. Changed your mind? <a href="/subscribe">Subscribe again</a>.
        </p>
      </Layout>,
    );
  });

  app.get('/digest/:period/:token', async (c) => {
    const period = parseDigestPeriod(c.req.param('period'));
    const id = period ? readToken(deps.secret, `view:${period.key}`, c.req.param('token')) : null;
    const sub = id !== null ? await findSubscription(deps.store.db, id) : null;
    if (!period || !sub) return badLink(c, deps);
    const source = await digestSourceFor(deps.store, sub, period, () => digestCandidates(deps.store, period));
    const digest = composeDigest(deps, sub, period, source.candidates, [], source.team);
    if (!digest) return c.text('No paper matched your topics in this period.', 404);
    return c.html(digest.html);
  });

  app.get('/admin/digests', requireRole('admin'), async (c) => {
    const period = parseDigestPeriod(c.req.query('period') ?? '');
    if (!period) return c.text('Give ?period=daily:YYYY-MM-DD or ?period=weekly:YYYY-Www', 400);
    const everyone: Subscription = {
      id: 0,
      email: 'preview@example.org',
      status: 'confirmed',
      bounces: 0,
      frequency: period.frequency,
      categories: [],
      keywords: [],
      count: 10,
    };
    const digest = composeDigest(deps, everyone, period, await digestCandidates(deps.store, period));
    if (!digest) return c.text(`No paper was featured in ${period.key}.`, 404);
    return c.html(digest.html);
  });
}

async function subscriptionFor(
  c: Context<AppEnv>,
  deps: WebDeps,
  purpose: 'manage' | 'unsubscribe',
): Promise<Subscription | null> {
  const id = readToken(deps.secret, purpose, c.req.param('token') ?? '');
  return id === null ? null : findSubscription(deps.store.db, id);
}

function badLink(c: Context<AppEnv>, deps: WebDeps) {
  c.status(404);
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: 'Link not valid', path: '/subscribe' }}>
      <h1>This link is not valid</h1>
      <p>
        Use the link from your latest digest, or <a href="/subscribe">subscribe again</a>.
      </p>
    </Layout>,
  );
}

/** The confirmation mail of a new subscription, or a reminder of the manage link for a confirmed one. */
export async function sendConfirmation(
  deps: WebDeps,
  sub: Subscription,
  alreadyConfirmed: boolean,
): Promise<void> {
  const manage = `${deps.site.baseUrl}/subscription/${makeToken(deps.secret, 'manage', sub.id)}`;
  if (alreadyConfirmed) {
    await deps.mailer.send({
      to: sub.email,
      subject: `Your ${deps.site.name} digest`,
      text: `You are already subscribed to the ${sub.frequency} digest of ${deps.site.name}.\nChange your topics or unsubscribe here:\n\n${manage}\n`,
    });
    return;
  }
  const confirm = `${deps.site.baseUrl}/subscription/confirm/${makeToken(deps.secret, 'confirm', sub.id, Date.now() + CONFIRM_TTL_MS)}`;
  await deps.mailer.send({
    to: sub.email,
    subject: `Confirm your ${deps.site.name} digest`,
    text: `Someone (hopefully you) asked for the ${sub.frequency} digest of ${deps.site.name} at this address.\nConfirm within 7 days:\n\n${confirm}\n\nIf it was not you, ignore this message: nothing more will be sent.\n`,
  });
}

async function preferencesPage(
  c: Context<AppEnv>,
  deps: WebDeps,
  state: { mode: 'subscribe' | 'manage'; sub?: Subscription; error?: string; notice?: string | undefined },
  status = 200,
) {
  const categories = await topCategories(deps.store.db, 16);
  const prefs: Preferences = state.sub ?? { frequency: 'daily', categories: [], keywords: [], count: 10 };
  const viewer = c.get('viewer');
  const action = state.mode === 'subscribe' ? '/subscribe' : c.req.path;
  c.status(status as 200);
  return c.html(
    <Layout
      {...who(c)}
      site={deps.site}
      meta={{ title: state.mode === 'subscribe' ? 'Subscribe' : 'Your digest', path: '/subscribe' }}
    >
      <h1>
        {state.mode === 'subscribe' ? 'Get the top papers in your inbox' : `Digest for ${state.sub!.email}`}
      </h1>
      {state.notice ? <Notice kind="ok">{state.notice}</Notice> : null}
      {state.error ? <Notice kind="error">{state.error}</Notice> : null}
      {state.sub?.status === 'unsubscribed' ? (
        <Notice kind="error">This address is unsubscribed.</Notice>
      ) : null}
      {state.sub?.status === 'suspended' ? (
        <Notice kind="error">
          Mail to this address kept bouncing, so the digest is paused. Subscribe again to restart it.
        </Notice>
      ) : null}
      <form method="post" action={action} class="form">
        <CsrfField csrf={c.get('csrf')} />
        {state.mode === 'subscribe' ? (
          <Field
            label="Email"
            name="email"
            type="email"
            value={state.sub?.email ?? ''}
            autocomplete="email"
            maxlength={254}
          />
        ) : null}
        <fieldset class="field">
          <legend>How often</legend>
          <label>
            <input type="radio" name="frequency" value="daily" checked={prefs.frequency === 'daily'} /> Daily:
            the top papers of each day
          </label>
          <label>
            <input type="radio" name="frequency" value="weekly" checked={prefs.frequency === 'weekly'} />{' '}
            Weekly: the best of the week, on Mondays
          </label>
        </fieldset>
        <fieldset class="field">
          <legend>Topics (none: every featured paper)</legend>
          <div class="filters">
            {categories.map((cat) => (
              <label class="chip">
                <input
                  type="checkbox"
                  name="categories"
                  value={cat.category}
                  checked={prefs.categories.includes(cat.category)}
                />{' '}
                {cat.category}
              </label>
            ))}
          </div>
          <Field
            label="Other categories"
            name="more_categories"
            required={false}
            value={prefs.categories.filter((c2) => !categories.some((x) => x.category === c2)).join(' ')}
            hint="arXiv categories, e.g. cs.RO stat.ML"
            maxlength={1000}
          />
          <Field
            label="Keywords"
            name="keywords"
            required={false}
            value={prefs.keywords.join(', ')}
            hint="Comma separated, e.g. diffusion, reinforcement learning"
            maxlength={1000}
          />
        </fieldset>
        <p class="field">
          <label for="field-count">Papers per digest</label>
          <input id="field-count" type="number" name="count" min={1} max={50} value={String(prefs.count)} />
        </p>
        <button type="submit" class="primary">
          {state.mode === 'subscribe' ? 'Subscribe' : 'Save'}
        </button>
      </form>
      {state.mode === 'manage' && state.sub?.status !== 'unsubscribed' ? (
        <form
          method="post"
          action={`/unsubscribe/${makeToken(deps.secret, 'unsubscribe', state.sub!.id)}`}
          style="margin-top:20px"
        >
          <CsrfField csrf={c.get('csrf')} />
          <button type="submit" class="link">
            Unsubscribe from all digests
          </button>
        </form>
      ) : null}
      {state.mode === 'subscribe' && viewer ? (
        <p class="muted small">Signed in as {viewer.username}: the subscription is linked to your account.</p>
      ) : null}
    </Layout>,
  );
}
