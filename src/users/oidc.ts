import * as client from 'openid-client';
import { isLoopbackUrl } from '../config.ts';
import type { Role } from '../db/schema.ts';
import type { Logger } from '../log.ts';

/**
 * Single sign-on through an OpenID Connect provider, with openid-client (docs/configuration.md, "Single sign-on"):
 * the authorization code flow with PKCE (S256), state and nonce; the provider's metadata discovered from its
 * issuer URL; the ID token's signature checked against the provider's published keys, and its issuer, audience,
 * expiry and nonce checked by the library. Nothing here parses or verifies a token by hand.
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string;
  redirectUri: string;
  usernameClaim: string;
  emailClaim: string;
  rolesClaim: string | undefined;
  adminValues: readonly string[];
  moderatorValues: readonly string[];
}

/** What a sign-in must remember between the redirect to the provider and the way back (kept in a signed cookie). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

/** The provider could not be reached or its discovery document was unusable. */
export class ProviderUnavailableError extends Error {}

/** The provider's answer was refused: a message for the sign-in page, the library's reason for the log. */
export class SignInRefusedError extends Error {
  constructor(
    readonly userMessage: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface ProviderAccount {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  preferredUsername: string | null;
  name: string | null;
  /** the role the provider's groups give, or null when role mapping is off */
  role: Role | null;
}

export interface OidcClient {
  readonly settings: OidcSettings;
  start(): Promise<{ url: URL; pending: PendingSignIn }>;
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<ProviderAccount>;
}

export function createOidcClient(settings: OidcSettings, log: Logger): OidcClient {
  let discovered: Promise<client.Configuration> | null = null;
  const issuer = new URL(settings.issuer);

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        // plain http only for a provider on this machine (config.ts refuses it elsewhere), as in the tests
        execute: [
          client.enableNonRepudiationChecks,
          ...(issuer.protocol === 'http:' && isLoopbackUrl(issuer) ? [client.allowInsecureRequests] : []),
        ],
        timeout: 10,
      })
      .catch((err: unknown) => {
        discovered = null; // try again on the next sign-in
        log.warn({ err: errorSummary(err), issuer: issuer.origin }, 'single sign-on: discovery failed');
        throw new ProviderUnavailableError('the sign-in provider cannot be reached');
      });
    return discovered;
  }

  return {
    settings,
    async start() {
      const config = await configuration();
      const pending = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },
    async finish(callbackUrl, pending) {
      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw refusal(err);
      }
      const idClaims = tokens.claims();
      if (!idClaims) throw new SignInRefusedError('The provider sent no ID token.', 'no id_token');
      let claims: Record<string, unknown> = { ...idClaims };
      // many providers put email and profile claims in the UserInfo answer rather than the ID token
      if (config.serverMetadata().userinfo_endpoint) {
        try {
          const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
          claims = { ...info, ...idClaims, ...pickProfile(info) };
        } catch (err) {
          throw refusal(err);
        }
      }
      return accountOf(claims, idClaims.iss, idClaims.sub, settings);
    },
  };
}

/** The profile claims of UserInfo win over the ID token's (they are the fresher); sub, iss, aud, nonce never do. */
function pickProfile(info: Record<string, unknown>): Record<string, unknown> {
  const { sub: _sub, iss: _iss, aud: _aud, nonce: _nonce, ...rest } = info;
  return rest;
}

function accountOf(
  claims: Record<string, unknown>,
  issuer: string,
  subject: string,
  settings: OidcSettings,
): ProviderAccount {
  const text = (name: string) => {
    const value = claims[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  const verified = claims.email_verified;
  return {
    issuer,
    subject,
    email: text(settings.emailClaim),
    emailVerified: verified === true || verified === 'true',
    preferredUsername: text(settings.usernameClaim),
    name: text('name'),
    role: mapRole(claims[settings.rolesClaim ?? ''], settings),
  };
}

/**
 * The role a member's groups or roles give: admin when one of OIDC_ADMIN_VALUES is among them, else moderator
 * for OIDC_MODERATOR_VALUES, else member. null when no roles claim is configured (roles are then managed here).
 * The claim may be an array of strings or one space- or comma-separated string.
 */
export function mapRole(
  value: unknown,
  settings: Pick<OidcSettings, 'rolesClaim' | 'adminValues' | 'moderatorValues'>,
): Role | null {
  if (!settings.rolesClaim) return null;
  const values = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? value.split(/[\s,]+/)
      : [];
  const has = (wanted: readonly string[]) => values.some((v) => wanted.includes(v));
  if (has(settings.adminValues)) return 'admin';
  if (has(settings.moderatorValues)) return 'moderator';
  return 'member';
}

/** The library's error as a message for the page (never a token, never a stack) and a reason for the log. */
function refusal(err: unknown): SignInRefusedError {
  const summary = errorSummary(err);
  const reason = summary.code ? `${summary.code}: ${summary.message}` : summary.message;
  if (err instanceof client.AuthorizationResponseError) {
    const what =
      err.error === 'access_denied'
        ? 'The sign-in was cancelled or refused.'
        : `The provider refused the sign-in (${err.error}).`;
    return new SignInRefusedError(what, reason);
  }
  if (err instanceof client.ResponseBodyError) {
    return new SignInRefusedError(`The provider refused to finish the sign-in (${err.error}).`, reason);
  }
  // openid-client wraps the check that failed (oauth4webapi's error, with the claim) in a general one: read them all
  const message = causes(err)
    .map((e) => e.message)
    .join(' / ');
  if (/state/i.test(message))
    return new SignInRefusedError(
      'This sign-in response does not belong to the sign-in you started.',
      reason,
    );
  if (/"nonce"/.test(message))
    return new SignInRefusedError('The identity token was not made for this sign-in (nonce).', reason);
  if (/"iss"/.test(message))
    return new SignInRefusedError('The identity token comes from another provider.', reason);
  if (/"aud"|"azp"/.test(message))
    return new SignInRefusedError('The identity token was made for another application.', reason);
  if (/signature/i.test(message))
    return new SignInRefusedError('The identity token\u2019s signature is not valid.', reason);
  if (/"exp"|"iat"|"nbf"/.test(message))
    return new SignInRefusedError('The identity token has expired or is not valid yet.', reason);
  return new SignInRefusedError('The identity token could not be verified.', reason);
}

/** An error and the errors it was caused by, outermost first (at most 5). */
function causes(err: unknown): Error[] {
  const out: Error[] = [];
  for (let e = err; e instanceof Error && out.length < 5; e = e.cause) out.push(e);
  return out;
}

function errorSummary(err: unknown): { message: string; code?: string } {
  const chain = causes(err);
  if (chain.length === 0) return { message: String(err).slice(0, 300) };
  const code = (chain[0] as { code?: unknown }).code;
  return {
    message: chain
      .map((e) => e.message)
      .join(' / ')
      .slice(0, 300),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
