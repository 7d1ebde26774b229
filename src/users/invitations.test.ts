import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  count,
  createStoreUnderTest,
  type StoreUnderTest,
  sql,
} from '../../test/helpers/store-under-test.ts';
import { createInvitation } from './invitations.store.ts';
import { joinRefusal } from './join-policy.ts';

/** Who may join (issue 17): invitation links (single use, expiring, revocable, for one address) and email domains. */

describe('the join policy (pure)', () => {
  const open = { signup: 'open' as const, domains: [] };
  const byInvitation = { signup: 'invitation' as const, domains: [] };
  const lab = { signup: 'open' as const, domains: ['lab.org', 'uni.edu'] };

  test('open admits anyone; invitation mode needs an invitation except for the first account', () => {
    expect(joinRefusal(open, { email: 'a@x.org', invitation: null, firstAccount: false })).toBeNull();
    expect(joinRefusal(byInvitation, { email: 'a@x.org', invitation: null, firstAccount: false })).toMatch(
      /invitation/,
    );
    expect(joinRefusal(byInvitation, { email: 'a@x.org', invitation: null, firstAccount: true })).toBeNull();
    expect(
      joinRefusal(byInvitation, { email: 'a@x.org', invitation: { email: null }, firstAccount: false }),
    ).toBeNull();
  });

  test('domains are matched exactly, in any case; subdomains and look-alikes are refused', () => {
    for (const email of ['a@lab.org', 'A@LAB.ORG', 'b@uni.edu'])
      expect(joinRefusal(lab, { email, invitation: null, firstAccount: false }), email).toBeNull();
    for (const email of [
      'a@cs.lab.org',
      'a@lab.org.evil.com',
      'a@evillab.org',
      'lab.org@evil.com',
      'a@lab.orgx',
    ])
      expect(joinRefusal(lab, { email, invitation: null, firstAccount: false }), email).toMatch(
        /lab\.org or uni\.edu/,
      );
    // an invitation does not lift the domain limit
    expect(
      joinRefusal(lab, { email: 'a@gmail.com', invitation: { email: null }, firstAccount: false }),
    ).toMatch(/addresses at/);
  });

  test('an invitation for one address admits only that address', () => {
    const invitation = { email: 'Jane@Lab.org' };
    expect(joinRefusal(open, { email: 'jane@lab.org', invitation, firstAccount: false })).toBeNull();
    expect(joinRefusal(open, { email: 'john@lab.org', invitation, firstAccount: false })).toMatch(
      /another email/,
    );
  });
});

describe('invitations over HTTP', () => {
  let store: StoreUnderTest;
  let app: Awaited<ReturnType<typeof createTestApp>>;
  let admin: TestClient;
  let adminId: number;

  beforeAll(async () => {
    store = await createStoreUnderTest();
    app = await createTestApp(store, { SIGNUP: 'invitation', SIGNUP_EMAIL_DOMAINS: 'lab.org' });
    // the first account needs no invitation: it becomes the admin
    admin = new TestClient(app);
    const res = await admin.post('/signup', {
      username: 'lab_admin',
      email: 'admin@lab.org',
      password: 'correct horse battery',
    });
    expect(res.status).toBe(303);
    await admin.page('/admin/invitations');
    adminId = Number((await sql<{ id: number }>`SELECT id FROM users`.execute(store.db)).rows[0]!.id);
  });

  afterAll(async () => {
    await store?.dispose();
  });

  async function invite(email = ''): Promise<string> {
    const res = await admin.post('/admin/invitations', { email, note: 'for a test' });
    expect(res.status).toBe(201);
    const m = /http:\/\/paperboy\.test\/invite\/(inv_[\w-]{43})/.exec(await res.text());
    expect(m).not.toBeNull();
    return m![1]!;
  }

  const signUp = (username: string, email: string, invitation?: string) =>
    new TestClient(app).post('/signup', {
      username,
      email,
      password: 'correct horse battery',
      ...(invitation ? { invite: invitation } : {}),
    });

  test('without an invitation, joining is refused and no account is made', async () => {
    const page = await new TestClient(app).page('/signup');
    expect(page.html).toContain('Joining is by invitation');
    const res = await signUp('no_invite', 'someone@lab.org');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('ask an admin for an invitation link');
    expect(await count(store, sql<{ n: number }>`SELECT COUNT(*) AS n FROM users`)).toBe(1);
  });

  test('an invitation link opens the form, works once, and says so the second time', async () => {
    const token = await invite();
    const page = await new TestClient(app).page(`/invite/${token}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`name="invite" value="${token}"`);
    expect((await signUp('invited_one', 'one@lab.org', token)).status).toBe(303);
    const again = await signUp('invited_two', 'two@lab.org', token);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already been used');
    expect((await new TestClient(app).page(`/invite/${token}`)).html).toContain('already been used');
    const used = await admin.page('/admin/invitations');
    expect(used.html).toContain('used by invited_one');
  });

  test('an expired, withdrawn, unknown or malformed link is refused with words, and nothing is written', async () => {
    const expired = await createInvitation(store.db, {
      createdBy: adminId,
      email: null,
      note: '',
      days: 1,
      now: new Date(Date.now() - 2 * 86_400_000),
    });
    const withdrawn = await invite();
    const [row] = (
      await sql<{ id: number }>`SELECT id FROM invitations ORDER BY id DESC LIMIT 1`.execute(store.db)
    ).rows;
    expect((await admin.post(`/admin/invitations/${row!.id}/revoke`, {})).status).toBe(303);
    const before = await count(store, sql<{ n: number }>`SELECT COUNT(*) AS n FROM users`);
    const cases: [string, RegExp][] = [
      [expired, /expired/],
      [withdrawn, /withdrawn/],
      [`inv_${'A'.repeat(43)}`, /not valid/],
      ['inv_short', /not valid/],
      ["inv_' OR 1=1 --", /not valid/],
      ['<script>alert(1)</script>', /not valid/],
    ];
    for (const [token, message] of cases) {
      const page = await new TestClient(app).page(`/invite/${encodeURIComponent(token)}`);
      expect(page.status, token).toBe(400);
      expect(page.html, token).toMatch(message);
      expect(page.html).not.toContain('<script>alert(1)</script>');
      const res = await signUp('would_be', 'would.be@lab.org', token);
      expect(res.status, token).toBeGreaterThanOrEqual(400);
      expect(res.status, token).toBeLessThan(500);
    }
    expect(await count(store, sql<{ n: number }>`SELECT COUNT(*) AS n FROM users`)).toBe(before);
  });

  test('the domain limit holds with an invitation; an invitation for one address admits only it', async () => {
    const anyone = await invite();
    const outside = await signUp('outsider', 'outsider@gmail.com', anyone);
    expect(outside.status).toBe(403);
    expect(await outside.text()).toContain('addresses at lab.org');
    // the invitation was not spent by the refusal
    expect((await signUp('insider', 'insider@lab.org', anyone)).status).toBe(303);

    const forJane = await invite('jane@lab.org');
    const john = await signUp('john', 'john@lab.org', forJane);
    expect(john.status).toBe(403);
    expect(await john.text()).toContain('another email address');
    expect((await signUp('jane', 'Jane@lab.org', forJane)).status).toBe(303);
  });

  test('two sign-ups racing on one link make one account', async () => {
    const token = await invite();
    const before = await count(store, sql<{ n: number }>`SELECT COUNT(*) AS n FROM users`);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => signUp(`racer_${i}`, `racer${i}@lab.org`, token)),
    );
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    for (const r of results) expect(r.status).toBeLessThan(500);
    expect(await count(store, sql<{ n: number }>`SELECT COUNT(*) AS n FROM users`)).toBe(before + 1);
  });

  test('only admins make and withdraw invitations; hostile input is refused with a 4xx', async () => {
    const member = new TestClient(app);
    const token = await invite();
    expect(
      (
        await member.post('/signup', {
          username: 'plain',
          email: 'plain@lab.org',
          password: 'correct horse battery',
          invite: token,
        })
      ).status,
    ).toBe(303);
    await member.page('/settings');
    expect((await member.request('/admin/invitations')).status).toBe(403);
    expect((await member.post('/admin/invitations', { email: '' })).status).toBe(403);
    for (const email of ['not an email', 'a@b', `${'x'.repeat(250)}@lab.org`, 'a b@lab.org', '<a@lab.org>'])
      expect((await admin.post('/admin/invitations', { email })).status, email).toBe(400);
    expect((await admin.post('/admin/invitations', { note: 'n'.repeat(201) })).status).toBe(400);
    for (const id of ['0', '-1', '99999999999', 'abc', '2147483647'])
      expect((await admin.post(`/admin/invitations/${id}/revoke`, {})).status, id).toBe(404);
  });
});
