import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { CsrfField, Field, formFields, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { localPath, redirectLocal } from '../web/redirect.ts';
import { SESSION_COOKIE, startSession } from './auth.ts';
import { hashPassword, spendTimeLikeAVerification, verifyPassword } from './password.ts';
import { AccountTakenError, createUser, deleteSession, findLogin } from './users.store.ts';
import { fieldErrors, signupSchema } from './validation.ts';

const LOGIN_PER_ADDRESS = { max: 20, windowMs: 15 * 60_000 };
const LOGIN_PER_ACCOUNT = { max: 5, windowMs: 15 * 60_000 };
const SIGNUP_PER_ADDRESS = { max: 5, windowMs: 60 * 60_000 };

/** Sign up, log in, log out. */
export function registerAccountPages(app: Hono<AppEnv>, deps: WebDeps): void {
  app.get('/signup', (c) => signupPage(c, deps, {}, {}));
  app.post('/signup', async (c) => {
    const limited = await deps.limiter.hit(`signup:${c.get('clientAddress')}`, SIGNUP_PER_ADDRESS);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'sign-ups from your address');
    const form = await formFields(c.req);
    const parsed = signupSchema.safeParse(form);
    if (!parsed.success) return signupPage(c, deps, form, fieldErrors(parsed.error), 400);
    try {
      const passwordHash = await hashPassword(parsed.data.password, deps.config.PASSWORD_SCRYPT_LOG_N);
      const user = await createUser(deps.store.db, { ...parsed.data, passwordHash });
      await startSession(c, deps, user.id);
      deps.log.info({ user: user.username, role: user.role }, 'account created');
      return redirectLocal(c, deps.site.baseUrl, form.next);
    } catch (err) {
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

function signupPage(
  c: Context<AppEnv>,
  deps: WebDeps,
  form: Record<string, string>,
  errors: Record<string, string>,
  status = 200,
) {
  c.status(status as 200);
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: 'Sign up', path: '/signup' }}>
      <h1>Create an account</h1>
      <p class="muted">Members submit papers to the daily list, upvote and discuss them.</p>
      <form method="post" action="/signup" class="form">
        <CsrfField csrf={c.get('csrf')} />
        <input
          type="hidden"
          name="next"
          value={localPath(form.next ?? c.req.query('next'), deps.site.baseUrl)}
        />
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
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: 'Log in', path: '/login' }}>
      <h1>Log in</h1>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <form method="post" action="/login" class="form">
        <CsrfField csrf={c.get('csrf')} />
        <input type="hidden" name="next" value={localPath(form.next, deps.site.baseUrl)} />
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
    </Layout>,
  );
}
