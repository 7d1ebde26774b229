import type { Context, Hono, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { CsrfField, Field, formFields, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { localPath, redirectLocal } from '../web/redirect.ts';
import { SESSION_COOKIE, startSession } from './auth.ts';
import { registerFeedKeyRoute } from './feed-key-section.tsx';
import { registerInvitationPages } from './invitation-pages.tsx';
import { isInvitationToken } from './invitations.store.ts';
import { invitationProblem, mayJoin } from './joining.ts';
import { hashPassword, spendTimeLikeAVerification, verifyPassword } from './password.ts';
import { oidcFromConfig, registerSsoRoutes, SSO_START_PATH } from './sso-routes.tsx';
import {
  AccountTakenError,
  createUser,
  deleteSession,
  findLogin,
  InvitationSpentError,
} from './users.store.ts';
import { fieldErrors, signupSchema } from './validation.ts';

const LOGIN_PER_ADDRESS = { max: 20, windowMs: 15 * 60_000 };
const LOGIN_PER_ACCOUNT = { max: 5, windowMs: 15 * 60_000 };
const SIGNUP_PER_ADDRESS = { max: 5, windowMs: 60 * 60_000 };

/** Sign up, log in, log out; with an OpenID Connect provider, single sign-on; invitations for admins. */
export function registerAccountPages(app: Hono<AppEnv>, deps: WebDeps): void {
  if (!deps.config.PASSWORD_LOGIN) {
    // before the password pages of Settings are registered, so it runs first
    app.use('/forgot-password', passwordPagesOff(deps));
    app.use('/reset-password', passwordPagesOff(deps));
    app.use('/settings/password', passwordPagesOff(deps));
  }
  const oidc = oidcFromConfig(deps.config, deps.site.baseUrl, deps);
  if (oidc) registerSsoRoutes(app, deps, oidc);
  registerInvitationPages(app, deps);
  registerFeedKeyRoute(app, deps);
  app.get('/signup', (c) => signupPage(c, deps, { invite: c.req.query('invite') ?? '' }, {}));
  app.get('/invite/:token', async (c) => {
    const token = c.req.param('token');
    const problem = await invitationProblem(deps, token);
    if (problem) return signupPage(c, deps, {}, { form: problem }, 400);
    return signupPage(c, deps, { invite: token }, {});
  });
  app.post('/signup', async (c) => {
    if (!deps.config.PASSWORD_LOGIN) return passwordsOff(c, deps);
    const limited = await deps.limiter.hit(`signup:${c.get('clientAddress')}`, SIGNUP_PER_ADDRESS);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'sign-ups from your address');
    const form = await formFields(c.req);
    const parsed = signupSchema.safeParse(form);
    if (!parsed.success) return signupPage(c, deps, form, fieldErrors(parsed.error), 400);
    const verdict = await mayJoin(deps, parsed.data.email, form.invite || undefined);
    if (!verdict.ok) return signupPage(c, deps, form, { form: verdict.message }, verdict.status);
    try {
      const passwordHash = await hashPassword(parsed.data.password, deps.config.PASSWORD_SCRYPT_LOG_N);
      const user = await createUser(deps.store.db, {
        ...parsed.data,
        passwordHash,
        ...(verdict.invitationId !== undefined ? { invitationId: verdict.invitationId } : {}),
      });
      await startSession(c, deps, user.id);
      deps.log.info({ user: user.username, role: user.role }, 'account created');
      return redirectLocal(c, deps.site.baseUrl, form.next);
    } catch (err) {
      if (err instanceof InvitationSpentError)
        return signupPage(c, deps, form, { form: 'This invitation has just been used.' }, 400);
      if (err instanceof AccountTakenError) {
        const message =
          err.field === 'username' ? 'That username is taken.' : 'That email address already has an account.';
        return signupPage(c, deps, form, { [err.field]: message }, 409);
      }
      throw err;
    }
  });

  app.get('/login', (c) => loginPage(c, deps, { next: c.req.query('next') ?? '' }, null));
  app.post('/login', async (c) => {
    if (!deps.config.PASSWORD_LOGIN) return passwordsOff(c, deps);
    const form = await formFields(c.req);
    const login = (form.login ?? '').trim().slice(0, 254);
    const address = c.get('clientAddress');
    for (const [key, limit] of [
      [`login-address:${address}`, LOGIN_PER_ADDRESS],
      [`login-account:${login.toLowerCase()}`, LOGIN_PER_ACCOUNT],
    ] as const) {
      const limited = await deps.limiter.hit(key, limit);
      if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'login attempts');
    }
    const account = login ? await findLogin(deps.store.db, login) : null;
    const password = (form.password ?? '').slice(0, 200);
    if (!account) await spendTimeLikeAVerification(deps.config.PASSWORD_SCRYPT_LOG_N);
    const ok = account ? await verifyPassword(password, account.password_hash) : false;
    if (!account || !ok) return loginPage(c, deps, form, 'Wrong username or password.', 401);
    if (account.banned_at)
      return loginPage(c, deps, form, 'This account has been banned by the moderators.', 403);
    await deps.limiter.reset(`login-account:${login.toLowerCase()}`);
    await startSession(c, deps, account.id);
    return redirectLocal(c, deps.site.baseUrl, form.next);
  });

  app.post('/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await deleteSession(deps.store.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });
}

/** With PASSWORD_LOGIN=false, the password pages send to the login page (GET) or are refused (POST). */
function passwordPagesOff(deps: WebDeps): MiddlewareHandler<AppEnv> {
  return async (c) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? c.redirect('/login', 303) : passwordsOff(c, deps);
}

/** POST /login or /signup with passwords switched off (PASSWORD_LOGIN=false): single sign-on only. */
function passwordsOff(c: Context<AppEnv>, deps: WebDeps) {
  return loginPage(
    c,
    deps,
    {},
    `Passwords are switched off here: sign in with ${deps.config.OIDC_PROVIDER_NAME}.`,
    403,
  );
}

/** The single sign-on button, when an OpenID Connect provider is configured. */
function SsoButton(props: { deps: WebDeps; next: string; invite?: string | undefined; verb: string }) {
  if (!props.deps.config.OIDC_ISSUER) return null;
  const query = new URLSearchParams({ next: props.next, ...(props.invite ? { invite: props.invite } : {}) });
  return (
    <p>
      <a class="button primary" href={`${SSO_START_PATH}?${query}`}>
        {props.verb} with {props.deps.config.OIDC_PROVIDER_NAME}
      </a>
    </p>
  );
}

function signupPage(
  c: Context<AppEnv>,
  deps: WebDeps,
  form: Record<string, string>,
  errors: Record<string, string>,
  status = 200,
) {
  c.status(status as 200);
  const next = localPath(form.next ?? c.req.query('next'), deps.site.baseUrl);
  const invite = isInvitationToken(form.invite) ? form.invite : undefined;
  const byInvitation = deps.config.SIGNUP === 'invitation' && !invite;
  const domains = deps.config.SIGNUP_EMAIL_DOMAINS;
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: 'Sign up', path: '/signup' }}>
      <h1>{invite ? `You are invited to ${deps.site.name}` : 'Create an account'}</h1>
      <p class="muted">Members submit papers to the daily list, upvote and discuss them.</p>
      {errors.form ? <Notice kind="error">{errors.form}</Notice> : null}
      {byInvitation && !errors.form ? (
        <Notice kind="error">Joining is by invitation: ask an admin for an invitation link.</Notice>
      ) : null}
      {domains.length > 0 ? <p class="muted">Accounts are for addresses at {domains.join(', ')}.</p> : null}
      <SsoButton deps={deps} next={next} invite={invite} verb="Sign up" />
      {deps.config.PASSWORD_LOGIN ? (
        <form method="post" action="/signup" class="form">
          <CsrfField csrf={c.get('csrf')} />
          <input type="hidden" name="next" value={next} />
          {invite ? <input type="hidden" name="invite" value={invite} /> : null}
          <Field
            label="Username"
            name="username"
            value={form.username}
            error={errors.username}
            autocomplete="username"
            maxlength={30}
          />
          <Field
            label="Email"
            name="email"
            type="email"
            value={form.email}
            error={errors.email}
            autocomplete="email"
            maxlength={254}
            hint="For password resets. Never shown."
          />
          <Field
            label="Password"
            name="password"
            type="password"
            error={errors.password}
            autocomplete="new-password"
            maxlength={200}
            hint="At least 10 characters; a passphrase is best."
          />
          <button type="submit" class="primary">
            Sign up
          </button>
        </form>
      ) : null}
      <p>
        Already a member? <a href="/login">Log in</a>
      </p>
    </Layout>,
  );
}

function loginPage(
  c: Context<AppEnv>,
  deps: WebDeps,
  form: Record<string, string>,
  error: string | null,
  status = 200,
) {
  c.status(status as 200);
  const next = localPath(form.next, deps.site.baseUrl);
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: 'Log in', path: '/login' }}>
      <h1>Log in</h1>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <SsoButton deps={deps} next={next} verb="Sign in" />
      {deps.config.PASSWORD_LOGIN ? (
        <>
          <form method="post" action="/login" class="form">
            <CsrfField csrf={c.get('csrf')} />
            <input type="hidden" name="next" value={next} />
            <Field
              label="Username or email"
              name="login"
              value={form.login}
              autocomplete="username"
              maxlength={254}
            />
            <Field
              label="Password"
              name="password"
              type="password"
              autocomplete="current-password"
              maxlength={200}
            />
            <button type="submit" class="primary">
              Log in
            </button>
          </form>
          <p>
            <a href="/forgot-password">Forgot your password?</a> · New here? <a href="/signup">Sign up</a>
          </p>
        </>
      ) : null}
    </Layout>,
  );
}
