import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  createStoreUnderTest as createTestStore,
  row,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store);
});
afterAll(async () => {
  await store.dispose();
});

describe('accounts', () => {
  it('signs up; the first account is the admin, the next ones members', async () => {
    const first = await new TestClient(app).signUp('alice');
    expect((await first.page('/u/alice')).html).toContain('admin · member since');
    const second = await new TestClient(app).signUp('bob');
    expect((await second.page('/u/bob')).html).not.toContain('admin ·');
    const bob = await row(
      store,
      sql<{ password_hash: string }>`SELECT password_hash FROM users WHERE username = 'bob'`,
    );
    expect(bob!.password_hash).toMatch(/^scrypt\$14\$8\$1\$/);
    expect(bob!.password_hash).not.toContain('correct horse');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const client = new TestClient(app);
    const res = await client.post('/signup', {
      username: 'carol',
      email: 'carol@example.org',
      password: 'long enough password',
    });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/pb_session=[A-Za-z0-9_-]{40,}/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
  });

  it.each([
    [{ username: 'x', email: 'x@example.org', password: 'long enough password' }, 'Use 3 to 30 letters'],
    [
      { username: '<script>', email: 'y@example.org', password: 'long enough password' },
      'Use 3 to 30 letters',
    ],
    [{ username: 'dave', email: 'not-an-email', password: 'long enough password' }, 'Enter an email address'],
    [
      {
        username: 'dave',
        email: 'dave@example.org\r\nBcc: all@example.org',
        password: 'long enough password',
      },
      'Enter an email address',
    ],
    [{ username: 'dave', email: 'dave@example.org', password: 'short' }, 'at least 10 characters'],
    [
      { username: 'ALICE', email: 'new@example.org', password: 'long enough password' },
      'That username is taken',
    ],
    [
      { username: 'eve', email: 'Alice@example.org', password: 'long enough password' },
      'already has an account',
    ],
  ])('refuses a bad sign-up %# with a message', async (fields, message) => {
    const res = await new TestClient(app).post('/signup', fields);
    expect([400, 409]).toContain(res.status);
    expect(await res.text()).toContain(message);
  });

  it('logs in with a new session id each time, and out', async () => {
    const client = new TestClient(app);
    const bad = await client.post('/login', { login: 'alice', password: 'wrong password!' });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('Wrong username or password');
    const ok = await client.post('/login', { login: 'alice@example.org', password: 'correct horse battery' });
    expect(ok.status).toBe(303);
    const firstSession = client.cookie;
    await client.page('/settings');
    await client.post('/login', { login: 'alice', password: 'correct horse battery' });
    expect(client.cookie).not.toBe(firstSession);
    const secondSession = client.cookie;
    await client.page('/settings');
    const out = await client.post('/logout', {});
    expect(out.status).toBe(303);
    // the logged-out session is gone on the server, not only in the browser
    expect(
      (await new TestClient(app).request('/settings', { headers: { cookie: secondSession } })).status,
    ).toBe(303);
    expect(
      (await new TestClient(app).request('/settings', { headers: { cookie: firstSession } })).status,
    ).toBe(200);
  });

  it('throttles login attempts on one account', async () => {
    const client = new TestClient(app);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await client.post('/login', { login: 'bob', password: `guess number ${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const limited = await client.post('/login', { login: 'bob', password: 'correct horse battery' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('changes the password, ending the other sessions', async () => {
    const phone = new TestClient(app);
    await phone.post('/login', { login: 'carol', password: 'long enough password' });
    const laptop = new TestClient(app);
    await laptop.post('/login', { login: 'carol', password: 'long enough password' });
    await laptop.page('/settings');
    const wrong = await laptop.post('/settings/password', {
      current: 'nope nope nope',
      password: 'a new long password',
    });
    expect(wrong.status).toBe(400);
    const res = await laptop.post('/settings/password', {
      current: 'long enough password',
      password: 'a new long password',
    });
    expect(res.status).toBe(303);
    expect((await laptop.request('/settings')).status).toBe(200);
    expect((await phone.request('/settings')).status).toBe(303);
  });

  it('resets a forgotten password by an emailed link, once', async () => {
    const client = new TestClient(app);
    const answer = await client.post('/forgot-password', { email: 'bob@example.org' });
    const unknown = await client.post('/forgot-password', { email: 'nobody@example.org' });
    expect(await answer.text()).toBe(await unknown.text());
    const outbox = join(store.dir, 'outbox');
    const files = readdirSync(outbox);
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(outbox, files[0]!)));
    expect(mail.to).toMatchObject({ text: 'bob@example.org' });
    expect(mail.subject).toBe('Reset your Paperboy password');
    const link = /http:\/\/paperboy\.test(\/reset-password\?token=[A-Za-z0-9_%-]+)/.exec(
      mail.text ?? '',
    )![1]!;
    const token = decodeURIComponent(link.split('token=')[1]!);
    expect((await client.page(link)).status).toBe(200);
    expect((await client.post('/reset-password', { token, password: 'brand new password' })).status).toBe(
      303,
    );
    expect((await client.post('/reset-password', { token, password: 'another new password' })).status).toBe(
      400,
    );
    const login = await new TestClient(app).post('/login', {
      login: 'bob@example.org',
      password: 'brand new password',
    });
    expect(login.status).not.toBe(401);
  });

  it('makes API tokens that are shown once, work as Bearer and can be revoked', async () => {
    const client = new TestClient(app);
    await client.post('/login', { login: 'alice', password: 'correct horse battery' });
    await client.page('/settings');
    const created = await client.post('/settings/tokens', { name: 'bot' });
    const token = /<code class="secret">(pb_[A-Za-z0-9_-]+)<\/code>/.exec(await created.text())![1]!;
    expect((await client.page('/settings')).html).not.toContain(token);
    const stored = (await row(
      store,
      sql<{ token_hash: string; id: number }>`SELECT token_hash, id FROM api_tokens WHERE name = 'bot'`,
    ))!;
    expect(stored.token_hash).not.toBe(token);
    const auth = { authorization: `Bearer ${token}` };
    const vote = await app.request('/api/papers/2401.00001/upvote', { method: 'POST', headers: auth });
    expect(vote.status).toBe(404);
    expect(
      (
        await app.request('/api/papers/2401.00001/upvote', {
          method: 'POST',
          headers: { authorization: 'Bearer pb_nope' },
        })
      ).status,
    ).toBe(401);
    await client.post(`/settings/tokens/${stored.id}/revoke`, {});
    expect(
      (await app.request('/api/papers/2401.00001/upvote', { method: 'POST', headers: auth })).status,
    ).toBe(401);
  });
});
