import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer } from '../../bench/peers/smtp-peer.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedPapers } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  createStoreUnderTest,
  row,
  rows,
  type StoreUnderTest,
  sql,
} from '../../test/helpers/store-under-test.ts';
import { keyphrasesOf } from '../keywords/keyphrases.store.ts';
import { runKeywords } from '../keywords/keywords-job.ts';
import { followTarget } from './follow-keys.ts';
import { sendNotificationMail } from './mail.ts';
import { mentionedNames } from './mentions.ts';
import { runNotify } from './notify.ts';

let store: StoreUnderTest;
let peer: Awaited<ReturnType<typeof startSmtpPeer>>;
let app: Awaited<ReturnType<typeof createTestApp>>;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
let topic: string;

const TOPIC_TEXT = {
  title: 'Quantum holography of black hole horizons',
  abstract:
    'We study quantum holography for black hole horizons. Quantum holography relates the horizon area to entropy, and black hole horizons obey it.',
};
/** the notify job now, with no settling time (tests make rows and ask at once) */
const notify = () => runNotify(store, { settleMs: 0, keywords: true });
const notificationsOf = (username: string) =>
  rows<{ kind: string; paper_id: string; comment_id: number | null }>(
    store,
    sql`SELECT n.kind, p.id AS paper_id, n.comment_id FROM notifications n JOIN papers p ON p.pk = n.paper_pk
        JOIN users u ON u.id = n.user_id WHERE u.username = ${username} ORDER BY n.id`,
  );

beforeAll(async () => {
  store = await createStoreUnderTest();
  peer = await startSmtpPeer();
  app = await createTestApp(store, {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(peer.port),
    SMTP_TLS: 'none',
    MAIL_FROM: 'Lab papers <papers@paperboy.test>',
    INSTANCE_NAME: 'Lab papers',
    COMMENTS_PER_MINUTE: '1000',
  });
  // an old paper gives the topic's keyphrase, as YAKE extracts it
  await seedPapers(store, [paperRecord({ id: '2601.00100', ...TOPIC_TEXT, authors: ['Old Author'] })]);
  await runKeywords(store);
  topic = (await keyphrasesOf(store.db, '2601.00100'))[0]!;
  alice = await new TestClient(app).signUp('alice');
  bob = await new TestClient(app).signUp('bob');
  carol = await new TestClient(app).signUp('carol');
  await notify(); // what was there before anyone followed is not news
});
afterAll(async () => {
  app.deps.mailer.close();
  await peer.close();
  await store.dispose();
});

describe('follow keys and mentions (pure)', () => {
  it('normalises what is followed and refuses what cannot be', () => {
    expect(followTarget('author', ' Doe,  Jane ')).toEqual({
      kind: 'author',
      value: 'Doe, Jane',
      key: 'jane doe',
    });
    expect(followTarget('topic', 'Quantum  Holography')).toMatchObject({ key: 'quantum holography' });
    expect(followTarget('search', '  Sparse   Experts ')).toMatchObject({
      value: 'Sparse Experts',
      key: 'sparse experts',
    });
    expect(followTarget('category', 'cs.CL')).toMatchObject({ key: 'cs.CL' });
    for (const [kind, value] of [
      ['category', 'cs.CL; DROP TABLE'],
      ['author', 'x'],
      ['author', 'a'.repeat(101)],
      ['topic', '!!'],
      ['search', '-'],
      ['search', 'w '.repeat(200)],
      ['team', 'x'],
    ])
      expect(followTarget(kind!, value!)).toHaveProperty('error');
  });

  it('finds @names, not mail addresses, URLs or code', () => {
    expect(
      mentionedNames('Thanks @alice and @Bob_2! mail x@example.org, see http://h/@carol `@dave` @al'),
    ).toEqual(['alice', 'bob_2']);
  });
});

describe('following and being told', () => {
  it('follows each kind from its page, and the button shows the state', async () => {
    const author = await alice.page('/authors/Old%20Author');
    expect(author.html).toContain('Follow this author');
    for (const [kind, value] of [
      ['author', 'Grace Hopper'],
      ['category', 'hep-th'],
      ['topic', topic],
      ['search', 'sparse mixture of experts'],
    ]) {
      const res = await alice.post('/follows', { kind: kind!, value: value!, next: '/following' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/following');
    }
    // twice is once; htmx gets the button back in its new state
    const again = await alice.post(
      '/follows',
      { kind: 'author', value: 'hopper, grace' },
      { 'hx-request': 'true' },
    );
    expect(await again.text()).toContain('Following · unfollow');
    expect(await row(store, sql`SELECT count(*) AS n FROM follows`)).toMatchObject({ n: expect.anything() });
    expect((await rows(store, sql`SELECT id FROM follows`)).length).toBe(4);
    expect((await alice.page('/authors/Old%20Author')).html).toContain('Follow this author');
    expect((await alice.page(`/topics/${encodeURIComponent(topic)}`)).html).toContain('Following · unfollow');
    expect((await alice.page('/papers?q=sparse+mixture+of+experts')).html).toContain('Saved · remove');
    expect((await alice.page('/new?cat=hep-th')).html).toContain('Following · unfollow');
    const following = await alice.page('/following');
    for (const text of ['Grace Hopper', 'hep-th', topic, 'sparse mixture of experts'])
      expect(following.html).toContain(text);
    expect(following.html).toContain('No new paper has matched');
    expect((await bob.page('/following')).html).toContain('You follow nothing yet');
  });

  it('tells followers of new papers, once each, and a re-run makes nothing twice', async () => {
    const before = await row<{ last_id: number }>(
      store,
      sql`SELECT last_id FROM notify_state WHERE name = 'papers'`,
    );
    await seedPapers(store, [
      paperRecord({ id: '2601.00201', title: 'Compilers', authors: ['G. M. Hopper', 'Grace Hopper'] }),
      paperRecord({ id: '2601.00202', title: 'Strings', categories: ['hep-th'], authors: ['Nobody Here'] }),
      paperRecord({ id: '2601.00203', ...TOPIC_TEXT, authors: ['Someone Else'] }),
      paperRecord({
        id: '2601.00204',
        title: 'Sparse mixture of experts at scale',
        abstract: 'Routing tokens to experts.',
        authors: ['Grace Hopper'],
        categories: ['cs.LG'],
      }),
      paperRecord({
        id: '2601.00205',
        title: 'Unrelated work',
        authors: ['Nobody Here'],
        categories: ['cs.CV'],
      }),
    ]);
    const first = await notify();
    expect(first.papers).toBe(5);
    expect(first.notifications).toBe(4);
    expect((await notificationsOf('alice')).map((n) => n.paper_id).sort()).toEqual([
      '2601.00201',
      '2601.00202',
      '2601.00203',
      '2601.00204',
    ]);
    expect(await notificationsOf('bob')).toEqual([]);
    // a crash after the inserts but before the watermark moved: the same batch again adds nothing
    await store.db
      .updateTable('notify_state')
      .set({ last_id: Number(before!.last_id) })
      .where('name', '=', 'papers')
      .execute();
    const again = await notify();
    expect(again).toMatchObject({ papers: 5, notifications: 0 });
    expect((await notify()).papers).toBe(0);
    const page = await alice.page('/following');
    expect(page.html).toContain('Sparse mixture of experts at scale');
    expect(page.html).toContain('for papers in hep-th');
    expect(page.html).not.toContain('Unrelated work');
  });

  it('shows the unread count in the header, and marks read', async () => {
    const home = await alice.page('/new');
    expect(home.html).toContain('<span class="unread-count">4</span>');
    const list = await alice.page('/notifications');
    expect(list.html).toContain('New paper: Grace Hopper');
    const [first] = await rows<{ id: number }>(store, sql`SELECT id FROM notifications ORDER BY id LIMIT 1`);
    expect((await alice.post('/notifications/read', { id: String(first!.id) })).status).toBe(303);
    expect((await alice.page('/new')).html).toContain('<span class="unread-count">3</span>');
    // another member's notification is not theirs to mark
    expect((await bob.post('/notifications/read', { id: String(first!.id) })).status).toBe(404);
    expect((await alice.post('/notifications/read-all', {})).status).toBe(303);
    expect((await alice.page('/new')).html).not.toContain('unread-count');
    expect((await bob.page('/notifications')).html).toContain('Nothing yet.');
  });

  it('stops telling after an unfollow', async () => {
    expect((await alice.post('/follows/delete', { kind: 'author', value: 'Grace Hopper' })).status).toBe(303);
    await seedPapers(store, [paperRecord({ id: '2601.00301', title: 'Later', authors: ['Grace Hopper'] })]);
    expect((await notify()).notifications).toBe(0);
    expect((await alice.page('/following')).html.includes('Unfollow Grace Hopper')).toBe(false);
  });

  it('tells of replies to one’s comments and of mentions, through the real comment routes', async () => {
    await alice.page('/papers/2601.00201');
    expect((await alice.post('/papers/2601.00201/comments', { body: 'A first thought.' })).status).toBe(303);
    const [parent] = await rows<{ id: number }>(store, sql`SELECT id FROM comments ORDER BY id DESC LIMIT 1`);
    await bob.page('/papers/2601.00201');
    const reply = await bob.post('/papers/2601.00201/comments', {
      body: 'Agreed @alice, and @carol should see this. Not @bob, not @nobody_here, not `@carol` again.',
      parent_id: String(parent!.id),
    });
    expect(reply.status).toBe(303);
    const made = await notify();
    expect(made.comments).toBe(2);
    expect(made.notifications).toBe(2);
    expect((await notificationsOf('alice')).filter((n) => n.kind !== 'paper').map((n) => n.kind)).toEqual([
      'reply',
    ]);
    expect((await notificationsOf('carol')).map((n) => n.kind)).toEqual(['mention']);
    expect(await notificationsOf('bob')).toEqual([]);
    expect((await carol.page('/notifications')).html).toContain('bob mentioned you');
    expect((await alice.page('/notifications')).html).toContain('bob replied to your comment');
    await store.db.updateTable('notify_state').set({ last_id: 0 }).where('name', '=', 'comments').execute();
    expect(await notify()).toMatchObject({ comments: 2, notifications: 0 });
  });

  it('refuses hostile input with a message, never a 500', async () => {
    const cases: [string, Record<string, string>, number][] = [
      ['/follows', { kind: 'team', value: 'x' }, 400],
      ['/follows', { kind: 'author' }, 400],
      ['/follows', { kind: 'category', value: "cs.CL' OR 1=1 --" }, 400],
      ['/follows', { kind: 'search', value: 'q'.repeat(251) }, 400],
      ['/follows', { kind: 'topic', value: '\u0000\u0000' }, 400],
      ['/follows/delete', { kind: ['a'].join(), value: 'x' }, 400],
      ['/notifications/read', { id: 'abc' }, 400],
      ['/notifications/read', { id: '99999999999' }, 400],
      ['/notifications/read', { id: '-1' }, 400],
      ['/notifications/read', { id: '2147483647' }, 404],
      ['/notifications/mail', { email: 'weekly' }, 400],
      ['/notifications/mail', {}, 400],
    ];
    for (const [path, fields, status] of cases) {
      const res = await bob.post(path, fields);
      expect([path, res.status]).toEqual([path, status]);
      expect((await res.text()).length).toBeGreaterThan(5);
    }
    // the redirect target is ours only
    const away = await bob.post('/follows', { kind: 'category', value: 'cs.CL', next: '//evil.example/x' });
    expect(away.headers.get('location')).toBe('/following');
    // anonymous: sent to log in; without the CSRF token: refused
    const anonymous = await new TestClient(app).post('/follows', { kind: 'category', value: 'cs.CL' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login/);
    const forged = await bob.request('/follows', {
      method: 'POST',
      body: new URLSearchParams({ kind: 'category', value: 'cs.AI' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(forged.status).toBe(403);
    for (const token of ['x', '1.abc', `1.${'A'.repeat(43)}`, '99999999999.x'])
      expect((await app.request(`/notifications/unsubscribe/${token}`)).status).toBe(404);
    expect((await app.request('/notifications')).status).toBe(303);
  });
});

describe('notification mail', () => {
  it('sends one batched mail a day with RFC 8058 unsubscribe, which works in one click', async () => {
    expect((await carol.post('/notifications/mail', { email: 'daily' })).status).toBe(303);
    // switching mail on starts from now: the mention before it is not mailed
    const now = () => new Date('2026-12-08T09:00:00Z');
    expect(await sendNotificationMail(app.deps, { now, enqueue: true })).toMatchObject({
      queued: 0,
      sent: 0,
    });
    await carol.post('/follows', { kind: 'category', value: 'math.AG' });
    await seedPapers(store, [
      paperRecord({ id: '2601.00401', title: 'Curves <b>and</b> surfaces', categories: ['math.AG'] }),
      paperRecord({ id: '2601.00402', title: 'Moduli spaces', categories: ['math.AG'] }),
    ]);
    expect((await notify()).notifications).toBe(2);
    const summary = await sendNotificationMail(app.deps, { now, enqueue: true });
    expect(summary).toMatchObject({ queued: 1, sent: 1, failed: 0 });
    const mails = peer.received.filter((m) => m.to.includes('carol@example.org'));
    expect(mails.length).toBe(1);
    const mail = mails[0]!;
    expect(mail.mail.subject).toBe('2 new notifications · Lab papers');
    expect(mail.mail.text).toContain('Curves <b>and</b> surfaces');
    expect(mail.mail.html).toContain('Curves &lt;b&gt;and&lt;/b&gt; surfaces');
    expect(mail.mail.text).not.toContain('mentioned you');
    const raw = mail.raw.toString().replace(/\r\n[ \t]+/g, ' ');
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const link = /^List-Unsubscribe: <([^>]+)>\r?$/m.exec(raw)![1]!;
    expect(link).toMatch(/^http:\/\/paperboy\.test\/notifications\/unsubscribe\/\d+\./);
    // the same day again: nothing more
    expect(await sendNotificationMail(app.deps, { now, enqueue: true })).toMatchObject({
      queued: 0,
      sent: 0,
    });
    const path = link.replace('http://paperboy.test', '');
    expect((await app.request(path)).status).toBe(200);
    const oneClick = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(
      await row(
        store,
        sql`SELECT s.email FROM notification_settings s JOIN users u ON u.id = s.user_id WHERE u.username = 'carol'`,
      ),
    ).toEqual({ email: 'off' });
    // off: a new day's notifications are not mailed
    await seedPapers(store, [
      paperRecord({ id: '2601.00403', title: 'More curves', categories: ['math.AG'] }),
    ]);
    await notify();
    const later = () => new Date('2026-12-09T09:00:00Z');
    expect(await sendNotificationMail(app.deps, { now: later, enqueue: true })).toMatchObject({ queued: 0 });
    expect(peer.received.filter((m) => m.to.includes('carol@example.org')).length).toBe(1);
  });
});
