import type { Context, Hono } from 'hono';
import { makeToken } from '../digests/links.ts';
import { findSubscriptionByUser } from '../digests/subscriptions.store.ts';
import { startSession } from '../users/auth.ts';
import { FeedKeySection } from '../users/feed-key-section.tsx';
import { feedKeyOf } from '../users/feed-keys.store.ts';
import { hashPassword, verifyPassword } from '../users/password.ts';
import { requireViewer } from '../users/require.ts';
import {
  changePassword,
  completePasswordReset,
  createApiToken,
  createPasswordReset,
  findEmailOwner,
  findPasswordHash,
  findPasswordReset,
  listApiTokens,
  revokeApiToken,
  setShowUpvotes,
  type Viewer,
} from '../users/users.store.ts';
import { emailSchema, passwordSchema } from '../users/validation.ts';
import type { AppEnv } from '../web/env.ts';
import { shortDate } from '../web/format.ts';
import { CsrfField, Field, formFields, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { rowId } from '../web/params.ts';
import type { AppDeps } from './deps.ts';

const RESET_PER_ADDRESS = { max: 5, windowMs: 60 * 60_000 };

/** /settings (password, profile, API tokens) and the password reset by emailed link. */
export function registerSettingsPages(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/settings', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    return settingsPage(c, deps, auth.viewer, {});
  });

  app.post('/settings/password', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const form = await formFields(c.req);
    const current = await findPasswordHash(deps.store.db, auth.viewer.id);
    if (!current || !(await verifyPassword((form.current ?? '').slice(0, 200), current))) {
      return settingsPage(
        c,
        deps,
        auth.viewer,
        { passwordError: 'Your current password is not right.' },
        400,
      );
    }
    const next = passwordSchema.safeParse(form.password ?? '');
    if (!next.success)
      return settingsPage(c, deps, auth.viewer, { passwordError: next.error.issues[0]!.message }, 400);
    await changePassword(
      deps.store.db,
      auth.viewer.id,
      await hashPassword(next.data, deps.config.PASSWORD_SCRYPT_LOG_N),
    );
    await startSession(c, deps, auth.viewer.id);
    return c.redirect('/settings?done=password', 303);
  });

  app.post('/settings/profile', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const form = await formFields(c.req);
    await setShowUpvotes(deps.store.db, auth.viewer.id, form.show_upvotes === 'on');
    return c.redirect('/settings?done=profile', 303);
  });

  app.post('/settings/tokens', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const form = await formFields(c.req);
    const name = (form.name ?? '').trim().slice(0, 60) || 'API token';
    const token = await createApiToken(deps.store.db, auth.viewer.id, name);
    return settingsPage(c, deps, auth.viewer, { newToken: token }, 201);
  });

  app.post('/settings/tokens/:id/revoke', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const id = rowId(c.req.param('id'));
    if (id === null || !(await revokeApiToken(deps.store.db, auth.viewer.id, id))) {
      return c.text('No such token.', 404);
    }
    return c.redirect('/settings?done=revoked', 303);
  });

  app.get('/forgot-password', (c) => forgotPage(c, deps, null));
  app.post('/forgot-password', async (c) => {
    const limited = await deps.limiter.hit(`reset:${c.get('clientAddress')}`, RESET_PER_ADDRESS);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'reset requests from your address');
    const form = await formFields(c.req);
    const email = emailSchema.safeParse(form.email ?? '');
    if (!email.success) return forgotPage(c, deps, email.error.issues[0]!.message, 400);
    const owner = await findEmailOwner(deps.store.db, email.data);
    if (owner) {
      const token = await createPasswordReset(deps.store.db, owner.id);
      const link = `${deps.site.baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
      await deps.mailer.send({
        to: owner.email,
        subject: `Reset your ${deps.site.name} password`,
        text: `Hello ${owner.username},\n\nSomeone (hopefully you) asked to reset your password on ${deps.site.name}.\nChoose a new one here within the hour:\n\n${link}\n\nIf it was not you, ignore this message: your password stays as it is.\n`,
      });
    }
    // the same answer whether or not the address has an account
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Check your email', path: '/forgot-password' }}>
        <h1>Check your email</h1>
        <p>
          If an account uses that address, a link to choose a new password is on its way. It works for an
          hour.
        </p>
      </Layout>,
    );
  });

  app.get('/reset-password', async (c) => {
    const token = c.req.query('token') ?? '';
    const reset = token.length <= 100 ? await findPasswordReset(deps.store.db, token) : null;
    const valid = reset && !reset.used_at && reset.expires_at > new Date().toISOString();
    return resetPage(c, deps, valid ? token : null, null, valid ? 200 : 400);
  });
  app.post('/reset-password', async (c) => {
    const form = await formFields(c.req);
    const token = (form.token ?? '').slice(0, 100);
    const password = passwordSchema.safeParse(form.password ?? '');
    if (!password.success) return resetPage(c, deps, token, password.error.issues[0]!.message, 400);
    const done = await completePasswordReset(
      deps.store.db,
      token,
      await hashPassword(password.data, deps.config.PASSWORD_SCRYPT_LOG_N),
    );
    if (!done) return resetPage(c, deps, null, null, 400);
    return c.redirect('/login?reset=1', 303);
  });
}

async function settingsPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  viewer: Viewer,
  state: { passwordError?: string; newToken?: string },
  status = 200,
) {
  const [tokens, subscription, passwordHash] = await Promise.all([
    listApiTokens(deps.store.db, viewer.id),
    findSubscriptionByUser(deps.store.db, viewer.id),
    findPasswordHash(deps.store.db, viewer.id),
  ]);
  const done = c.req.query('done');
  const csrf = c.get('csrf');
  c.status(status as 200);
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: 'Settings', path: '/settings' }}>
      <h1>Settings</h1>
      {done === 'password' ? (
        <Notice kind="ok">Password changed. Your other sessions were logged out.</Notice>
      ) : null}
      {done === 'profile' ? <Notice kind="ok">Profile saved.</Notice> : null}
      {done === 'revoked' ? <Notice kind="ok">Token revoked.</Notice> : null}
      <h2>Profile</h2>
      <form method="post" action="/settings/profile" class="form">
        <CsrfField csrf={csrf} />
        <p>
          <label>
            <input type="checkbox" name="show_upvotes" checked={viewer.showUpvotes} /> Show my upvotes on my
            profile
          </label>
        </p>
        <button type="submit">Save</button>
      </form>
      <h2>Email digest</h2>
      {subscription && subscription.status !== 'unsubscribed' ? (
        <p>
          {subscription.status === 'confirmed'
            ? `A ${subscription.frequency} digest goes to ${subscription.email}.`
            : `Waiting for ${subscription.email} to confirm.`}{' '}
          <a href={`/subscription/${makeToken(deps.secret, 'manage', subscription.id)}`}>
            Change topics or unsubscribe
          </a>
        </p>
      ) : (
        <p>
          Get the top papers in your inbox, daily or weekly. <a href="/subscribe">Subscribe</a>
        </p>
      )}
      {deps.config.PRIVATE ? (
        <FeedKeySection
          baseUrl={deps.site.baseUrl}
          feedKey={await feedKeyOf(deps.store.db, deps.secret, viewer.id)}
          csrf={csrf}
          reset={done === 'feed-key'}
        />
      ) : null}
      {deps.config.PASSWORD_LOGIN && passwordHash ? (
        <PasswordSection csrf={csrf} error={state.passwordError} />
      ) : null}
      {deps.config.PASSWORD_LOGIN && !passwordHash ? (
        <>
          <h2>Password</h2>
          <p>
            You sign in with {deps.config.OIDC_PROVIDER_NAME}, so your account has no password. To have one as
            well, <a href="/forgot-password">ask for a password link</a> by email.
          </p>
        </>
      ) : null}
      <h2>API tokens</h2>
      <p class="muted small">
        For scripts and the API (<code>Authorization: Bearer …</code>): submit papers and upvote as you.
      </p>
      {state.newToken ? (
        <div class="notice notice-ok">
          <p>Your new token. Copy it now: it will not be shown again.</p>
          <code class="secret">{state.newToken}</code>
        </div>
      ) : null}
      {tokens.length > 0 ? (
        <table class="tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr>
                <td>{t.name}</td>
                <td>{shortDate(t.created_at)}</td>
                <td>{t.last_used_at ? shortDate(t.last_used_at) : 'never'}</td>
                <td>
                  <form method="post" action={`/settings/tokens/${t.id}/revoke`} class="inline">
                    <CsrfField csrf={csrf} />
                    <button type="submit" class="link">
                      Revoke
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form method="post" action="/settings/tokens" class="form" style="margin-top:12px">
        <CsrfField csrf={csrf} />
        <Field
          label="Token name"
          name="name"
          required={false}
          maxlength={60}
          hint="What it is for, e.g. 'lab bot'."
        />
        <button type="submit">Create a token</button>
      </form>
    </Layout>,
  );
}

function forgotPage(c: Context<AppEnv>, deps: AppDeps, error: string | null, status = 200) {
  c.status(status as 200);
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: 'Forgot your password?', path: '/forgot-password' }}>
      <h1>Forgot your password?</h1>
      <p>Give the email address of your account; we will send a link to choose a new password.</p>
      <form method="post" action="/forgot-password" class="form">
        <CsrfField csrf={c.get('csrf')} />
        <Field
          label="Email"
          name="email"
          type="email"
          autocomplete="email"
          error={error ?? undefined}
          maxlength={254}
        />
        <button type="submit" class="primary">
          Send the link
        </button>
      </form>
    </Layout>,
  );
}

function resetPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  token: string | null,
  error: string | null,
  status = 200,
) {
  c.status(status as 200);
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: 'Choose a new password', path: '/reset-password' }}>
      <h1>Choose a new password</h1>
      {token ? (
        <form method="post" action="/reset-password" class="form">
          <input type="hidden" name="token" value={token} />
          <Field
            label="New password"
            name="password"
            type="password"
            autocomplete="new-password"
            error={error ?? undefined}
            hint="At least 10 characters."
          />
          <button type="submit" class="primary">
            Set the password
          </button>
        </form>
      ) : (
        <Notice kind="error">
          This link has expired or was already used. Ask for a new one on the "forgot your password" page.
        </Notice>
      )}
    </Layout>,
  );
}

function PasswordSection(props: { csrf: string | null; error: string | undefined }) {
  return (
    <>
      <h2>Password</h2>
      <form method="post" action="/settings/password" class="form">
        <CsrfField csrf={props.csrf} />
        <Field
          label="Current password"
          name="current"
          type="password"
          autocomplete="current-password"
          error={props.error}
        />
        <Field
          label="New password"
          name="password"
          type="password"
          autocomplete="new-password"
          hint="At least 10 characters."
        />
        <button type="submit">Change password</button>
      </form>
    </>
  );
}
