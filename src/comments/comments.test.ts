import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { seedFeatures, seedMembersWithTokens } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  count,
  createStoreUnderTest as createTestStore,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';
import { createVoter } from '../votes/voter.ts';
import { addComment, deleteOwnComment } from './comments.store.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;
let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store, { COMMENTS_PER_MINUTE: '1000' });
  await seedFeatures(store, [
    { day: '2025-02-12', upvotes: 1, paper: { id: '2502.00001' } },
    ...[2, 3, 4].map((n) => ({ day: '2025-02-12', upvotes: 3, paper: { id: `2502.0000${n}` } })),
  ]);
  alice = await new TestClient(app).signUp('alice');
  bob = await new TestClient(app).signUp('bob');
});
afterAll(async () => {
  await store.dispose();
});

const commentIds = (html: string) =>
  [...html.matchAll(/<li class="comment" id="comment-(\d+)">/g)].map((m) => Number(m[1]));
const numComments = () =>
  count(store, sql<{ n: number }>`SELECT num_comments AS n FROM papers WHERE id = '2502.00001'`);

describe('comments', () => {
  it('posts a comment and threaded replies, counted on the card', async () => {
    const first = await alice.post('/papers/2502.00001/comments', { body: 'First *thoughts*' });
    expect(first.status).toBe(303);
    const firstId = Number(/#comment-(\d+)/.exec(first.headers.get('location')!)![1]);
    await bob.post('/papers/2502.00001/comments', { body: 'A reply', parent_id: String(firstId) });
    await alice.post('/papers/2502.00001/comments', { body: 'Second thread' });
    const page = await alice.page('/papers/2502.00001');
    expect(page.html).toContain('<p>First <em>thoughts</em></p>');
    expect(page.html).toMatch(/id="comments">3 comments/);
    expect(commentIds(page.html)).toEqual([firstId, firstId + 1, firstId + 2]);
    // the reply sits inside the first comment's list item
    expect(page.html).toMatch(
      new RegExp(
        `id="comment-${firstId}">(?:(?!<li class="comment").)*<ol class="comments"><li class="comment" id="comment-${firstId + 1}"`,
        's',
      ),
    );
    expect(await numComments()).toBe(3);
    expect(await (await app.request('/papers/date/2025-02-12')).text()).toContain('3 comments');
  });

  it('lets the author edit within the window, and nobody else', async () => {
    const res = await alice.post('/papers/2502.00001/comments', { body: 'typo hree' });
    const id = Number(/#comment-(\d+)/.exec(res.headers.get('location')!)![1]);
    expect((await bob.post(`/comments/${id}/edit`, { body: 'hijacked' })).status).toBe(403);
    expect((await alice.post(`/comments/${id}/edit`, { body: 'typo here' })).status).toBe(303);
    expect((await alice.page('/papers/2502.00001')).html).toContain('typo here');
    await sql`UPDATE comments SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = ${id}`.execute(store.db);
    expect((await alice.post(`/comments/${id}/edit`, { body: 'too late' })).status).toBe(403);
  });

  it('keeps the thread readable when a comment with replies is deleted', async () => {
    const parent = await bob.post('/papers/2502.00001/comments', { body: 'to be deleted' });
    const parentId = Number(/#comment-(\d+)/.exec(parent.headers.get('location')!)![1]);
    await alice.post('/papers/2502.00001/comments', {
      body: 'reply that stays',
      parent_id: String(parentId),
    });
    const before = await numComments();
    const carol = await new TestClient(app).signUp('carol');
    expect((await carol.post(`/comments/${parentId}/delete`, {})).status).toBe(403);
    expect((await bob.post(`/comments/${parentId}/delete`, {})).status).toBe(303);
    const html = (await alice.page('/papers/2502.00001')).html;
    expect(html).toContain('[deleted]');
    expect(html).not.toContain('to be deleted');
    expect(html).toContain('reply that stays');
    expect(await numComments()).toBe(before - 1);
    expect(
      (await alice.post('/papers/2502.00001/comments', { body: 'late reply', parent_id: String(parentId) }))
        .status,
    ).toBe(410);
  });

  it('renders hostile comments inert', async () => {
    const payloads = [
      '<script>alert(1)</script>',
      '[x](javascript:alert(1))',
      '<img src=x onerror=alert(1)>',
      '"><svg/onload=alert(1)>',
    ];
    for (const body of payloads) await alice.post('/papers/2502.00001/comments', { body });
    const page = (await alice.page('/papers/2502.00001')).html;
    const html = page.slice(page.indexOf('id="comments"'));
    expect(html).not.toMatch(/<script>alert|<img src=x|<svg|href="javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses empty, over-long and misplaced comments with 4xx', async () => {
    expect((await alice.post('/papers/2502.00001/comments', { body: '   ' })).status).toBe(400);
    expect((await alice.post('/papers/2502.00001/comments', { body: 'x'.repeat(10_001) })).status).toBe(400);
    expect((await alice.post('/papers/2502.00001/comments', { body: 'hi', parent_id: 'abc' })).status).toBe(
      400,
    );
    expect(
      (await alice.post('/papers/2502.00001/comments', { body: 'hi', parent_id: '999999' })).status,
    ).toBe(404);
    expect((await alice.post('/papers/2401.99999/comments', { body: 'hi' })).status).toBe(404);
  });

  it('answers the HF comment and reply API with a token', async () => {
    await alice.page('/settings');
    const token = /<code class="secret">(pb_[^<]+)</.exec(
      await (await alice.post('/settings/tokens', { name: 'api' })).text(),
    )![1]!;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const made = await app.request('/api/papers/2502.00001/comment', {
      method: 'POST',
      headers,
      body: JSON.stringify({ comment: 'via API' }),
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    const reply = await app.request(`/api/papers/2502.00001/comment/${id}/reply`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ comment: 'reply via API' }),
    });
    expect(reply.status).toBe(201);
    expect(await reply.json()).toMatchObject({ parentId: id, comment: 'reply via API' });
    for (const body of ['not json', '[]', '{"comment": 5}', '{}']) {
      const bad = await app.request('/api/papers/2502.00001/comment', { method: 'POST', headers, body });
      expect(bad.status).toBe(400);
    }
    expect(
      (await app.request('/api/papers/2502.00001/comment', { method: 'POST', body: '{"comment":"x"}' }))
        .status,
    ).toBe(401);
  });
});

describe('comments and votes on one paper at once', () => {
  // On PostgreSQL a comment's insert share-locks the paper's row (its foreign key) before the comment recounts on
  // that row: with a vote queued for the row in between, the two waited on each other and PostgreSQL killed one
  // ("deadlock detected", a 500). Two pools, as two app processes; every change must land and the counts be exact.
  // SQLite has one app process, and one connection in it: a second one in the same process would wait for the
  // first's write lock synchronously, blocking the very event loop that would release it.
  it('lands every vote, comment and deletion, with exact counts, from two processes at once', async () => {
    const other = store.dialect === 'postgres' ? store.reopen() : store;
    try {
      const members = await seedMembersWithTokens(store, 120, 'crowd');
      const on = (i: number) => (i % 2 ? other : store);
      // three rounds, one paper each: a deadlock needs an unlucky interleaving of three transactions
      for (const paperId of ['2502.00002', '2502.00003', '2502.00004']) {
        const made = await Promise.all(
          members.flatMap(({ userId }, i) => [
            createVoter(on(i))(userId, paperId, true),
            addComment(on(i + 1).db, { paperId, userId, parentId: null, body: `note ${i}` }),
          ]),
        );
        const ids = made.flatMap((r) => (r && 'id' in r ? [r.id] : []));
        expect(ids).toHaveLength(members.length);
        // then half withdraw their vote and delete their comment while the other half comment again
        const changed = await Promise.all(
          members.flatMap(({ userId }, i): Promise<unknown>[] =>
            i % 2
              ? [createVoter(on(i))(userId, paperId, false), deleteOwnComment(on(i + 1).db, ids[i]!, userId)]
              : [addComment(on(i).db, { paperId, userId, parentId: ids[i]!, body: `again ${i}` })],
          ),
        );
        expect(changed.filter((r) => !r || (typeof r === 'object' && 'problem' in r))).toEqual([]);
        const paper = sql<{ n: number }>`SELECT upvotes AS n FROM papers WHERE id = ${paperId}`;
        expect(await count(store, paper)).toBe(3 + members.length / 2);
        expect(
          await count(store, sql<{ n: number }>`SELECT num_comments AS n FROM papers WHERE id = ${paperId}`),
        ).toBe(members.length);
      }
    } finally {
      if (other !== store) await other.close();
    }
  });
});
