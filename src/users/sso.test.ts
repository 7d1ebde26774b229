import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/session.ts';
import { createStoreUnderTest, rows, type StoreUnderTest, sql } from '../../test/helpers/store-under-test.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createInvitation } from './invitations.store.ts';
import { mapRole, type ProviderAccount } from './oidc.ts';
import { memberForAccount, usernameFrom } from './sso-account.ts';
import { createSession } from './users.store.ts';

/**
 * Single sign-on around the provider (the browser flow against a real provider is test/e2e/sso.spec.ts): the
 * settings, role mapping, usernames made from claims, who a provider's account signs in as, and the pages when
 * the provider is down, the flow cookie is missing or forged, or passwords are switched off.
 */

const roles = { rolesClaim: 'groups', adminValues: ['admins'], moderatorValues: ['mods'] };

describe('role mapping and usernames (pure)', () => {
  test('groups give admin before moderator before member; off without a roles claim', () => {
    expect(mapRole(['staff', 'admins'], roles)).toBe('admin');
    expect(mapRole(['mods', 'admins'], roles)).toBe('admin');
    expect(mapRole(['mods'], roles)).toBe('moderator');
    expect(mapRole('staff mods', roles)).toBe('moderator');
    expect(mapRole('staff,admins', roles)).toBe('admin');
    for (const hostile of [
      undefined,
      null,
      42,
      { admins: true },
      ['ADMINS'],
      ['admins '],
      [['admins']],
      'administrators',
    ])
      expect(mapRole(hostile, roles), JSON.stringify(hostile)).toBe('member');
    expect(mapRole(['admins'], { ...roles, rolesClaim: undefined })).toBeNull();
  });

  test('a username is made valid from any claim, or refused when nothing usable is left', () => {
    expect(usernameFrom('Jane Doe')).toBe('Jane-Doe');
    expect(usernameFrom('jane.doe@lab.org')).toBe('jane-doe-lab-org');
    expect(usernameFrom('Zoë Ångström')).toBe('Zoe-Angstrom');
    expect(usernameFrom('../../etc/passwd')).toBe('etc-passwd');
    expect(usernameFrom('<script>alert(1)</script>')).toBe('script-alert-1-script');
    expect(usernameFrom('x'.repeat(80))).toHaveLength(30);
    for (const nothing of ['', '  ', '李', '😀😀😀', '--', 'ab', '\u0000\u0001'])
      expect(usernameFrom(nothing), nothing).toBeNull();
  });
});

describe('the settings', () => {
  const base = { OIDC_ISSUER: 'https://id.lab.org', OIDC_CLIENT_ID: 'paperboy' };
  test('good settings load; each bad combination is refused naming the variable', () => {
    expect(loadConfig(base).OIDC_SCOPES).toBe('openid email profile');
    expect(loadConfig({ ...base, OIDC_ISSUER: 'http://127.0.0.1:9000' }).OIDC_ISSUER).toBe(
      'http://127.0.0.1:9000',
    );
    const bad: [Record<string, string>, RegExp][] = [
      [{ OIDC_ISSUER: 'https://id.lab.org' }, /OIDC_CLIENT_ID: required/],
      [{ OIDC_CLIENT_ID: 'paperboy' }, /OIDC_ISSUER: required/],
      [{ ...base, OIDC_ISSUER: 'http://id.lab.org' }, /must be https/],
      [{ ...base, OIDC_ISSUER: 'ftp://id.lab.org' }, /OIDC_ISSUER/],
      [{ ...base, OIDC_ISSUER: 'not a url' }, /OIDC_ISSUER/],
      [{ PASSWORD_LOGIN: 'false' }, /PASSWORD_LOGIN: cannot be false/],
      [{ ...base, OIDC_ADMIN_VALUES: 'admins' }, /OIDC_ROLES_CLAIM: required/],
      [{ ...base, OIDC_SCOPES: 'email profile' }, /must include openid/],
      [{ ...base, OIDC_SCOPES: 'openid "email"' }, /OIDC_SCOPES/],
      [{ SIGNUP: 'closed' }, /SIGNUP/],
      [{ SIGNUP_EMAIL_DOMAINS: 'lab.org,@evil' }, /SIGNUP_EMAIL_DOMAINS/],
      [{ PRIVATE: 'maybe' }, /PRIVATE/],
    ];
    for (const [env, message] of bad) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(message);
    }
  });
});

describe('who a provider account signs in as', () => {
  let store: StoreUnderTest;
  let app: Awaited<ReturnType<typeof createTestApp>>;
  let deadIssuer: string;

  beforeAll(async () => {
    store = await createStoreUnderTest();
    // a port nothing listens on: the provider is down
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    deadIssuer = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((r) => probe.close(r));
    app = await createTestApp(store, {
      OIDC_ISSUER: deadIssuer,
      OIDC_CLIENT_ID: 'paperboy',
      SIGNUP: 'invitation',
      SIGNUP_EMAIL_DOMAINS: 'lab.org',
    });
    const first = await new TestClient(app).post('/signup', {
      username: 'first_admin',
      email: 'admin@lab.org',
      password: 'correct horse battery',
    });
    expect(first.status).toBe(303);
  });

  afterAll(async () => {
    await store?.dispose();
  });

  const account = (subject: string, over: Partial<ProviderAccount> = {}): ProviderAccount => ({
    issuer: deadIssuer,
    subject,
    email: `${subject}@lab.org`,
    emailVerified: true,
    preferredUsername: subject,
    name: null,
    role: null,
    ...over,
  });

  test('joining by single sign-on follows the same policy: an invitation, a domain', async () => {
    const refused = await memberForAccount(app.deps, account('sam'), undefined);
    expect(refused).toMatchObject({ ok: false, status: 403 });
    const [admin] = await rows<{ id: number }>(
      store,
      sql`SELECT id FROM users WHERE username = 'first_admin'`,
    );
    const invitation = await createInvitation(store.db, {
      createdBy: admin!.id,
      email: null,
      note: '',
      days: 1,
    });
    const outside = await memberForAccount(app.deps, account('sam', { email: 'sam@gmail.com' }), invitation);
    expect(outside).toMatchObject({ ok: false, status: 403, message: expect.stringMatching(/lab\.org/) });
    const joined = await memberForAccount(app.deps, account('sam'), invitation);
    expect(joined).toMatchObject({ ok: true, created: true, username: 'sam' });
    const reused = await memberForAccount(app.deps, account('sam2'), invitation);
    expect(reused).toMatchObject({ ok: false, status: 400 });
    // a member made by single sign-on has no password: Settings says so instead of asking for the current one
    const client = new TestClient(app);
    client.cookie = `pb_session=${await createSession(store.db, (joined as { userId: number }).userId)}`;
    const settings = await client.page('/settings');
    expect(settings.html).toContain('your account has no password');
    expect(settings.html).not.toContain('name="current"');
  });

  test('a taken username gets a suffix; no email or an unverified one is refused; a banned member is refused', async () => {
    const [admin] = await rows<{ id: number }>(
      store,
      sql`SELECT id FROM users WHERE username = 'first_admin'`,
    );
    const invite = () => createInvitation(store.db, { createdBy: admin!.id, email: null, note: '', days: 1 });
    const other = await memberForAccount(
      app.deps,
      account('other-sam', { preferredUsername: 'sam', email: 'sam.other@lab.org' }),
      await invite(),
    );
    expect(other).toMatchObject({ ok: true, created: true, username: 'sam-other' });
    const third = await memberForAccount(
      app.deps,
      account('third-sam', { preferredUsername: 'sam', email: 'sam@lab.org.', name: null }),
      await invite(),
    );
    expect(third.ok).toBe(false);
    expect(await memberForAccount(app.deps, account('x', { email: null }), await invite())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/usable email/),
    });
    expect(
      await memberForAccount(app.deps, account('y', { emailVerified: false }), await invite()),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not verified/),
    });
    await sql`UPDATE users SET banned_at = '2026-01-01T00:00:00Z' WHERE username = 'sam'`.execute(store.db);
    expect(await memberForAccount(app.deps, account('sam'), undefined)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/banned/),
    });
  });

  test('the provider down: a 503 page in words; a callback with no or a forged flow cookie: a 400 page', async () => {
    const down = await app.request('/auth/oidc/start?next=/papers');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('60');
    expect(await down.text()).toContain('cannot be reached just now');
    for (const cookie of [undefined, 'pb_sso=forged', `pb_sso=${encodeURIComponent('{"state":"a"}.c2ln')}`]) {
      const res = await app.request('/auth/oidc/callback?code=x&state=y', {
        headers: cookie ? { cookie } : {},
      });
      expect(res.status, cookie).toBe(400);
      const html = await res.text();
      expect(html).toContain('expired or was started in another browser');
      expect(html).not.toMatch(/at \S+ \(|node_modules/);
    }
  });
});

describe('passwords switched off', () => {
  let store: StoreUnderTest;
  let app: Awaited<ReturnType<typeof createTestApp>>;

  beforeAll(async () => {
    store = await createStoreUnderTest();
    app = await createTestApp(store, {
      OIDC_ISSUER: 'https://id.lab.org',
      OIDC_CLIENT_ID: 'paperboy',
      PASSWORD_LOGIN: 'false',
      OIDC_PROVIDER_NAME: 'Lab account',
    });
  });

  afterAll(async () => {
    await store?.dispose();
  });

  test('the login page offers single sign-on only; password routes are refused or sent to it', async () => {
    const login = await (await app.request('/login?next=/papers')).text();
    expect(login).toContain('Sign in with Lab account');
    expect(login).toContain('/auth/oidc/start?next=%2Fpapers');
    expect(login).not.toContain('name="password"');
    const signup = await (await app.request('/signup')).text();
    expect(signup).not.toContain('name="password"');
    const client = new TestClient(app);
    for (const path of ['/login', '/signup', '/forgot-password', '/reset-password', '/settings/password']) {
      const res = await client.post(path, {
        login: 'a',
        username: 'abc',
        email: 'a@lab.org',
        password: 'x'.repeat(12),
      });
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain('Passwords are switched off');
    }
    for (const path of ['/forgot-password', '/reset-password?token=x']) {
      const res = await app.request(path, { redirect: 'manual' });
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe('/login');
    }
    expect(Number((await rows<{ n: number }>(store, sql`SELECT COUNT(*) AS n FROM users`))[0]!.n)).toBe(0);
  });
});
