import type { Context, Hono } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { localPath } from '../web/redirect.ts';
import { startSession } from './auth.ts';
import { isInvitationToken } from './invitations.store.ts';
import {
  createOidcClient,
  type OidcClient,
  type PendingSignIn,
  ProviderUnavailableError,
  SignInRefusedError,
} from './oidc.ts';
import { memberForAccount } from './sso-account.ts';

const FLOW_COOKIE = 'pb_sso';
const FLOW_MAX_AGE_S = 10 * 60;
const SSO_PER_ADDRESS = { max: 30, windowMs: 15 * 60_000 };
export const SSO_START_PATH = '/auth/oidc/start';
const CALLBACK_PATH = '/auth/oidc/callback';

/** The OpenID Connect client of an instance, or null when single sign-on is off (no OIDC_ISSUER). */
export function oidcFromConfig(
  config: Config,
  baseUrl: string,
  deps: Pick<WebDeps, 'log'>,
): OidcClient | null {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID) return null;
  return createOidcClient(
    {
      issuer: config.OIDC_ISSUER,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      scopes: config.OIDC_SCOPES,
      redirectUri: `${baseUrl}${CALLBACK_PATH}`,
      usernameClaim: config.OIDC_USERNAME_CLAIM,
      emailClaim: config.OIDC_EMAIL_CLAIM,
      rolesClaim: config.OIDC_ROLES_CLAIM,
      adminValues: config.OIDC_ADMIN_VALUES,
      moderatorValues: config.OIDC_MODERATOR_VALUES,
    },
    deps.log,
  );
}

interface Flow extends PendingSignIn {
  next: string;
  invite?: string;
}

/**
 * `GET /auth/oidc/start` sends the browser to the provider; `GET /auth/oidc/callback` is where it comes back.
 * What the callback must check (state, nonce, PKCE verifier) and where to go after travel in a signed, HttpOnly
 * cookie that lives ten minutes and is deleted on the way back, so a response can be used once.
 */
export function registerSsoRoutes(app: Hono<AppEnv>, deps: WebDeps, oidc: OidcClient): void {
  const secure = deps.site.baseUrl.startsWith('https://');
  const cookieOptions = { httpOnly: true, secure, sameSite: 'Lax' as const, path: '/auth/oidc' };

  app.get(SSO_START_PATH, async (c) => {
    const limited = await deps.limiter.hit(`sso:${c.get('clientAddress')}`, SSO_PER_ADDRESS);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'sign-in attempts');
    const invite = c.req.query('invite');
    let started: Awaited<ReturnType<OidcClient['start']>>;
    try {
      started = await oidc.start();
    } catch (err) {
      if (err instanceof ProviderUnavailableError) return unavailable(c, deps);
      throw err;
    }
    const flow: Flow = {
      ...started.pending,
      next: localPath(c.req.query('next'), deps.site.baseUrl),
      ...(isInvitationToken(invite) ? { invite } : {}),
    };
    await setSignedCookie(c, FLOW_COOKIE, JSON.stringify(flow), deps.secret, {
      ...cookieOptions,
      maxAge: FLOW_MAX_AGE_S,
    });
    return c.redirect(started.url.href, 303);
  });

  app.get(CALLBACK_PATH, async (c) => {
    const limited = await deps.limiter.hit(`sso:${c.get('clientAddress')}`, SSO_PER_ADDRESS);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'sign-in attempts');
    const flow = parseFlow(await getSignedCookie(c, deps.secret, FLOW_COOKIE));
    deleteCookie(c, FLOW_COOKIE, cookieOptions);
    if (!flow)
      return refusedPage(
        c,
        deps,
        400,
        'This sign-in has expired or was started in another browser. Start it again from this site.',
      );
    // the address the provider sent the browser back to, on this instance's own origin (not the Host header)
    const callbackUrl = new URL(`${deps.site.baseUrl}${CALLBACK_PATH}`);
    callbackUrl.search = new URL(c.req.url).search;
    let outcome: Awaited<ReturnType<typeof memberForAccount>>;
    try {
      const account = await oidc.finish(callbackUrl, flow);
      outcome = await memberForAccount(deps, account, flow.invite);
    } catch (err) {
      if (err instanceof ProviderUnavailableError) return unavailable(c, deps);
      if (err instanceof SignInRefusedError) {
        deps.log.warn({ reason: err.reason, requestId: c.get('requestId') }, 'single sign-on refused');
        return refusedPage(c, deps, 400, err.userMessage);
      }
      throw err;
    }
    if (!outcome.ok) return refusedPage(c, deps, outcome.status, outcome.message);
    await startSession(c, deps, outcome.userId);
    return c.redirect(flow.next, 303);
  });
}

function parseFlow(raw: string | false | undefined): Flow | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Flow>;
    const ok = ['state', 'nonce', 'verifier', 'next'].every(
      (k) => typeof value[k as keyof Flow] === 'string',
    );
    return ok ? (value as Flow) : null;
  } catch {
    return null;
  }
}

function refusedPage(c: Context<AppEnv>, deps: WebDeps, status: 400 | 403, message: string) {
  c.status(status);
  return c.html(
    <ErrorPage {...who(c)} site={deps.site} status={status} title="Sign-in refused" path={CALLBACK_PATH}>
      <p>{message}</p>
      <p>
        <a href={SSO_START_PATH}>Try signing in again</a> or <a href="/login">go to the login page</a>.
      </p>
    </ErrorPage>,
  );
}

function unavailable(c: Context<AppEnv>, deps: WebDeps) {
  c.status(503);
  c.header('Retry-After', '60');
  return c.html(
    <ErrorPage
      {...who(c)}
      site={deps.site}
      status={503}
      title="Sign-in provider unavailable"
      path={SSO_START_PATH}
    >
      <p>
        The sign-in provider ({deps.config.OIDC_PROVIDER_NAME}) cannot be reached just now. Try again in a
        minute; if it keeps failing, tell an admin.
      </p>
    </ErrorPage>,
  );
}
