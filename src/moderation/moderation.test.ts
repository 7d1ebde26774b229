import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { seedFeatures } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  createStoreUnderTest as createTestStore,
  rows,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;
let admin: TestClient;
let mod: TestClient;
let member: TestClient;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store);
  await seedFeatures(store, [
    { day: '2025-02-12', upvotes: 5, paper: { id: '2502.00001', title: 'Spam paper' } },
    { day: '2025-02-12', upvotes: 3, paper: { id: '2502.00002', title: 'Good paper' } },
  ]);
  admin = await new TestClient(app).signUp('admin');
  mod = await new TestClient(app).signUp('moddy');
  member = await new TestClient(app).signUp('troll');
  await admin.page('/u/moddy');
  expect((await admin.post('/moderation/users/moddy/moderator', {})).status).toBe(303);
  await mod.page('/papers/2502.00001');
});
afterAll(async () => {
  await store.dispose();
});

const log = () => rows(store, sql`SELECT action, target, reason FROM moderation_log ORDER BY id`);

describe('moderation', () => {
  it('refuses members', async () => {
    await member.page('/papers/2502.00001');
    expect((await member.post('/moderation/papers/2502.00001/hide', {})).status).toBe(403);
    expect((await member.post('/moderation/users/admin/ban', {})).status).toBe(403);
  });

  it('unfeatures and hides papers, each with a log row', async () => {
    expect(
      (await mod.post('/moderation/papers/2502.00001/unfeature', { reason: 'not research' })).status,
    ).toBe(303);
    expect(await (await app.request('/papers/date/2025-02-12')).text()).not.toContain('Spam paper');
    expect((await mod.post('/moderation/papers/2502.00001/hide', { reason: 'spam' })).status).toBe(303);
    expect((await app.request('/papers/2502.00001')).status).toBe(404);
    expect((await app.request('/api/papers/2502.00001')).status).toBe(404);
    expect((await app.request('/papers?q=spam')).status).toBe(200);
    expect(await (await app.request('/papers?q=spam')).text()).not.toContain('Spam paper');
    expect((await mod.page('/papers/2502.00001')).html).toContain('hidden by the moderators');
    expect((await mod.post('/moderation/papers/2502.00001/hide', {})).status).toBe(409);
    expect(await log()).toEqual([
      { action: 'set-role', target: 'user:moddy', reason: 'moderator' },
      { action: 'unfeature', target: 'paper:2502.00001', reason: 'not research' },
      { action: 'hide-paper', target: 'paper:2502.00001', reason: 'spam' },
    ]);
  });

  it('deletes a comment and bans a member, ending their sessions and tokens', async () => {
    await member.page('/settings');
    const token = /<code class="secret">(pb_[^<]+)</.exec(
      await (await member.post('/settings/tokens', { name: 't' })).text(),
    )![1]!;
    await member.page('/papers/2502.00002');
    const posted = await member.post('/papers/2502.00002/comments', { body: 'buy my stuff' });
    const id = Number(/#comment-(\d+)/.exec(posted.headers.get('location')!)![1]);
    await mod.page('/papers/2502.00002');
    expect((await mod.post(`/comments/${id}/delete`, { reason: 'advertising' })).status).toBe(303);
    expect((await mod.post('/moderation/users/troll/ban', { reason: 'spam' })).status).toBe(303);
    expect((await member.request('/settings')).status).toBe(303);
    expect(
      (
        await app.request('/api/papers/2502.00002/upvote', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(401);
    const login = await new TestClient(app).post('/login', {
      login: 'troll',
      password: 'correct horse battery',
    });
    expect(login.status).toBe(403);
    expect((await mod.post('/moderation/users/admin/ban', {})).status).toBe(403);
    expect((await log()).slice(-2)).toEqual([
      { action: 'delete-comment', target: `comment:${id}`, reason: 'advertising' },
      { action: 'ban', target: 'user:troll', reason: 'spam' },
    ]);
  });

  it('shows a public log that cannot be rewritten', async () => {
    const page = await (await app.request('/moderation')).text();
    expect(page).toContain('hide-paper');
    expect(page).toContain('advertising');
    await expect(sql`UPDATE moderation_log SET reason = NULL`.execute(store.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM moderation_log`.execute(store.db)).rejects.toThrow(/append-only/);
  });
});
