import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import Provider from 'oidc-provider';
import { type PaperboyServer, startServer } from '../../src/app/server.ts';
import { createUser } from '../../src/users/users.store.ts';
import { createTestApp } from '../helpers/app.ts';
import { createStoreUnderTest, rows, type StoreUnderTest, sql } from '../helpers/store-under-test.ts';

/**
 * Single sign-on through a real OpenID Connect provider (the `oidc-provider` package) on loopback, in the real
 * browser: Paperboy's own server, openid-client talking to the provider, the provider's login and consent pages.
 * Forged answers (another issuer, a wrong nonce, an expired token, a bad signature) are made by the provider
 * itself: a middleware rewrites the ID token in its token response, re-signed with its own key or not at all.
 */

const skipReason = process.env.PAPERBOY_E2E_SKIP;
test.skip(skipReason !== undefined, `!!! SKIPPED: ${skipReason}`);
test.describe.configure({ mode: 'serial' });

interface Account {
  email: string;
  email_verified: boolean;
  preferred_username?: string;
  name?: string;
  groups?: string[];
}

/** The provider's accounts, by login; a test may change one between sign-ins (the provider reads it each time). */
const accounts: Record<string, Account> = {
  carol: { email: 'carol@lab.org', email_verified: true, preferred_username: 'carol', name: 'Carol Jones' },
  'linda-sso': { email: 'Linda@Lab.org', email_verified: true, preferred_username: 'linda.s' },
  unverified: { email: 'mallory@lab.org', email_verified: false, preferred_username: 'mallory' },
  ada: { email: 'ada@lab.org', email_verified: true, preferred_username: 'ada', groups: ['paperboy-admins'] },
  bob: { email: 'bob@lab.org', email_verified: true, preferred_username: 'bob', groups: ['staff'] },
  forger: { email: 'forger@lab.org', email_verified: true, preferred_username: 'forger' },
};

/** How the provider's next token response is spoiled, if at all. */
type Spoil = { claims?: (c: Record<string, unknown>) => void; keepSignature?: boolean };
let tamper: Spoil | null = null;
/** Whether the provider's next redirect back to Paperboy carries another state than the one it was sent. */
let forgeState = false;

let store: StoreUnderTest;
let paperboy: PaperboyServer;
let idp: Server;
let base: string;
let privateKey: KeyObject;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

function reSigned(
  idToken: string,
  change: (c: Record<string, unknown>) => void,
  keepSignature: boolean,
): string {
  const [header, payload, signature] = idToken.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(claims);
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  if (keepSignature) return `${body}.${signature}`;
  return `${body}.${sign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
}

test.beforeAll(async () => {
  const [idpPort, appPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${idpPort}`;
  // the browser reaches Paperboy as localhost and the provider as 127.0.0.1: two hosts, two cookie jars
  base = `http://localhost:${appPort}`;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  privateKey = keys.privateKey;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'paperboy',
        client_secret: 'paperboy-client-secret',
        redirect_uris: [`${base}/auth/oidc/callback`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: {
      keys: [{ ...keys.privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }],
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    pkce: { required: () => true },
    cookies: { keys: ['a-cookie-key-for-tests-only'] },
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({
        sub: id,
        ...(accounts[id] ?? { email: `${id}@lab.org`, email_verified: true }),
      }),
    }),
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && tamper && body?.id_token) {
      body.id_token = reSigned(body.id_token, tamper.claims ?? (() => {}), tamper.keepSignature ?? false);
      tamper = null;
    }
    const location = String(ctx.response.get('location') ?? '');
    if (forgeState && location.startsWith(`${base}/auth/oidc/callback?`)) {
      const url = new URL(location);
      url.searchParams.set('state', 'forged-state');
      ctx.redirect(url.href);
      forgeState = false;
    }
  });
  idp = provider.listen(idpPort, '127.0.0.1');
  await new Promise((r) => idp.once('listening', r));

  store = await createStoreUnderTest();
  const app = await createTestApp(store, {
    BASE_URL: base,
    TRUST_PROXY: 'false',
    HARVEST_ENABLED: 'false',
    ARXIV_LOOKUPS_ENABLED: 'false',
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: 'paperboy',
    OIDC_CLIENT_SECRET: 'paperboy-client-secret',
    OIDC_SCOPES: 'openid email profile groups',
    OIDC_ROLES_CLAIM: 'groups',
    OIDC_ADMIN_VALUES: 'paperboy-admins',
    OIDC_MODERATOR_VALUES: 'paperboy-moderators',
    OIDC_PROVIDER_NAME: 'Lab SSO',
  });
  paperboy = await startServer({
    ...app.deps,
    config: { ...app.deps.config, PORT: appPort, HOST: '127.0.0.1' },
  });
  // a member who signed up with a password before single sign-on was switched on
  await createUser(store.db, { username: 'linda', email: 'linda@lab.org', passwordHash: '', role: 'admin' });
});

test.afterAll(async () => {
  await paperboy?.drain(1000);
  await new Promise((r) => (idp ? idp.close(r) : r(null)));
  await store?.dispose();
});

/** A fresh browser that may reach only this machine (the provider's dev pages ask for a web font). */
async function freshContext(browser: import('@playwright/test').Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort());
  return context;
}

/** Clicks "Sign in with Lab SSO" and signs in at the provider as `login`, through its login and consent pages. */
async function signIn(page: Page, login: string, next = '/'): Promise<void> {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.getByRole('link', { name: 'Sign in with Lab SSO' }).click();
  await expect(page.locator('input[name="login"]')).toBeVisible();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await page.waitForURL((url) => url.origin === base || url.pathname.includes('/interaction/'));
  if (new URL(page.url()).origin !== base) await consent.click();
  await page.waitForURL((url) => url.origin === base);
}

const userCount = async () =>
  Number((await rows<{ n: number }>(store, sql`SELECT COUNT(*) AS n FROM users`))[0]!.n);

test('the first sign-in creates the account; the second signs in to the same account', async ({
  browser,
}) => {
  const before = await userCount();
  const first = await freshContext(browser);
  const page = await first.newPage();
  await signIn(page, 'carol', '/about');
  expect(new URL(page.url()).pathname).toBe('/about');
  await expect(page.locator('header')).toContainText('carol');
  expect(await userCount()).toBe(before + 1);
  await first.close();

  const second = await freshContext(browser);
  const again = await second.newPage();
  await signIn(again, 'carol');
  await expect(again.locator('header')).toContainText('carol');
  expect(await userCount()).toBe(before + 1);
  const identities = await rows<{ username: string }>(
    store,
    sql`SELECT u.username FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.subject = 'carol'`,
  );
  expect(identities.map((r) => r.username)).toEqual(['carol']);
  await second.close();
});

test('a verified email links the provider account to the existing member', async ({ browser }) => {
  const before = await userCount();
  const context = await freshContext(browser);
  const page = await context.newPage();
  await signIn(page, 'linda-sso');
  await expect(page.locator('header')).toContainText('linda');
  expect(await userCount()).toBe(before);
  const linked = await rows<{ username: string }>(
    store,
    sql`SELECT u.username FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.subject = 'linda-sso'`,
  );
  expect(linked.map((r) => r.username)).toEqual(['linda']);
  await context.close();
});

test('an unverified email is refused with a clear page, and no account is made', async ({ browser }) => {
  const before = await userCount();
  const context = await freshContext(browser);
  const page = await context.newPage();
  await signIn(page, 'unverified');
  await expect(page.locator('h1')).toHaveText('Sign-in refused');
  await expect(page.locator('main')).toContainText('has not verified your email address');
  expect(await userCount()).toBe(before);
  await context.close();
});

const SPOILED: [string, Spoil, string][] = [
  [
    'a token from another issuer',
    { claims: (c) => (c.iss = 'http://127.0.0.1:1/another') },
    'comes from another provider',
  ],
  ['a wrong nonce', { claims: (c) => (c.nonce = 'not-the-nonce-we-sent') }, 'not made for this sign-in'],
  [
    'an expired token',
    {
      claims: (c) =>
        Object.assign(c, {
          exp: Math.floor(Date.now() / 1000) - 3600,
          iat: Math.floor(Date.now() / 1000) - 7200,
        }),
    },
    'has expired or is not valid yet',
  ],
  [
    'a bad signature',
    { claims: (c) => (c.email = 'ceo@lab.org'), keepSignature: true },
    'signature is not valid',
  ],
];

for (const [label, spoil, message] of SPOILED) {
  test(`${label} is refused with a clear page`, async ({ browser }) => {
    const before = await userCount();
    const context = await freshContext(browser);
    const page = await context.newPage();
    tamper = spoil;
    await signIn(page, 'forger');
    expect(tamper as Spoil | null).toBeNull(); // the token response really was spoiled
    await expect(page.locator('h1')).toHaveText('Sign-in refused');
    await expect(page.locator('main')).toContainText(message);
    await expect(page.locator('header')).not.toContainText('forger');
    expect(await userCount()).toBe(before);
    await context.close();
  });
}

test('a forged state is refused, and so is a callback with no sign-in started', async ({ browser }) => {
  const context = await freshContext(browser);
  const page = await context.newPage();
  forgeState = true;
  await signIn(page, 'forger');
  await expect(page.locator('h1')).toHaveText('Sign-in refused');
  await expect(page.locator('main')).toContainText('does not belong to the sign-in you started');
  expect(forgeState).toBe(false); // the redirect really was rewritten

  await page.goto(`${base}/auth/oidc/callback?code=stolen&state=whatever`);
  await expect(page.locator('h1')).toHaveText('Sign-in refused');
  await expect(page.locator('main')).toContainText('expired or was started in another browser');
  await context.close();
});

test('groups map to roles at every sign-in; logout ends the session', async ({ browser }) => {
  const context = await freshContext(browser);
  const page = await context.newPage();
  await signIn(page, 'ada');
  expect((await page.goto(`${base}/admin/invitations`))!.status()).toBe(200);
  await context.close();

  const bobContext = await freshContext(browser);
  const bob = await bobContext.newPage();
  await signIn(bob, 'bob');
  expect((await bob.goto(`${base}/admin/invitations`))!.status()).toBe(403);
  await bobContext.close();

  // the provider moves bob to the moderators: the next sign-in says so
  accounts.bob!.groups = ['paperboy-moderators'];
  const later = await freshContext(browser);
  const bobAgain = await later.newPage();
  await signIn(bobAgain, 'bob');
  const [role] = await rows<{ role: string }>(store, sql`SELECT role FROM users WHERE username = 'bob'`);
  expect(role!.role).toBe('moderator');
  expect((await bobAgain.goto(`${base}/moderation`))!.status()).toBe(200);

  const cookies = await later.cookies(base);
  expect(cookies.some((c) => c.name === 'pb_session')).toBe(true);
  await bobAgain.goto(`${base}/settings`);
  await bobAgain.getByRole('button', { name: 'Log out' }).click();
  await bobAgain.waitForURL(`${base}/`);
  await bobAgain.goto(`${base}/settings`);
  expect(new URL(bobAgain.url()).pathname).toBe('/login');
  await later.close();

  // the old session cookie, replayed in another browser, no longer signs anyone in
  const replay = await freshContext(browser);
  await replay.addCookies(cookies.filter((c) => c.name === 'pb_session'));
  const replayed = await replay.newPage();
  await replayed.goto(`${base}/settings`);
  expect(new URL(replayed.url()).pathname).toBe('/login');
  await replay.close();
});
