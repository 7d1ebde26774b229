import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures } from '../../test/helpers/factories.ts';
import { type LocalServer, startLocalServer } from '../../test/helpers/local-server.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  count,
  createStoreUnderTest,
  row,
  rows,
  type StoreUnderTest,
  sql,
} from '../../test/helpers/store-under-test.ts';
import { RateLimiter } from '../web/limits.ts';
import { verifySignature } from './signature.ts';
import { runWebhooks } from './webhooks-job.ts';

/**
 * Team chat against real HTTP peers on loopback (issue 17): one per chat kind and one for signed JSON, each checking
 * the signature of every post; a peer that fails and recovers; the admin page; and the URL kept out of the logs.
 */

interface Post {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  answered: number;
}

const posts: Post[] = [];
/** what each path answers; 200 when absent */
const answers = new Map<
  string,
  (post: Post) => { status: number; body?: string; headers?: Record<string, string> }
>();
const logLines: string[] = [];
let store: StoreUnderTest;
let peer: LocalServer;
let app: Awaited<ReturnType<typeof createTestApp>>;
let admin: TestClient;
const secrets = new Map<string, string>();
/** the rate limiter's clock: each test starts in a fresh window */
let limiterNow = 0;
beforeEach(() => {
  limiterNow += 61_000;
});

const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const SLACK_PATH = '/services/T0SLACK/B0SLACK/slacksecrettoken';
const CHATS = {
  slack: SLACK_PATH,
  mattermost: '/hooks/mattermostsecret',
  discord: '/api/webhooks/123/discordsecret',
  teams: '/workflows/teamssecret/triggers/manual',
  json: '/receiver/jsonsecret',
} as const;

beforeAll(async () => {
  store = await createStoreUnderTest();
  peer = await startLocalServer(async (req, res, url) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const post: Post = { path: url.pathname, headers: req.headers, body, answered: 0 };
    const answer = answers.get(url.pathname)?.(post) ?? { status: 200, body: 'ok' };
    post.answered = answer.status;
    posts.push(post);
    res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
    res.end(answer.body ?? '');
  });
  const log = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  app = await createTestApp(
    store,
    {
      INSTANCE_NAME: 'Lab papers',
      DIGEST_DAILY_HOUR: '0',
      DIGEST_TIMEZONE: 'UTC',
      WEBHOOK_TIMEOUT_SECONDS: '2',
      WEBHOOK_MAX_ATTEMPTS: '4',
    },
    { log, limiter: new RateLimiter(() => limiterNow) },
  );
  admin = await new TestClient(app).signUp('chat_admin');
  await admin.page('/admin/webhooks');
  for (const [kind, path] of Object.entries(CHATS)) await addWebhook(kind, kind, `${peer.origin}${path}`);
  await new Promise((r) => setTimeout(r, 5));
  await seedFeatures(store, [
    {
      day: yesterday,
      upvotes: 40,
      paper: paperRecord({ id: '2611.00001', title: 'Robots <b>&</b> learn @channel', authors: ['Ada'] }),
    },
    { day: yesterday, upvotes: 30, paper: paperRecord({ id: '2611.00002', title: 'Language models align' }) },
    { day: yesterday, upvotes: 20, paper: paperRecord({ id: '2611.00003', title: 'Vision transformers' }) },
    { day: today, upvotes: 1, paper: paperRecord({ id: '2611.00004', title: 'A paper of today' }) },
  ]);
}, 60_000);

afterAll(async () => {
  await peer?.close();
  await store?.dispose();
});

async function addWebhook(name: string, kind: string, url: string, events = ['daily-top', 'feature']) {
  const body = new URLSearchParams({ _csrf: admin.csrf, name, kind, url });
  for (const e of events) body.append('events', e);
  const res = await admin.request('/admin/webhooks', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://paperboy.test' },
  });
  const html = await res.text();
  expect(res.status, html).toBe(201);
  const secret = /shown only now: <code>([0-9a-f]{64})<\/code>/.exec(html)?.[1];
  expect(secret).toBeDefined();
  secrets.set(new URL(url).pathname, secret!);
  const made = await row<{ id: number }>(store, sql`SELECT id FROM webhooks WHERE name = ${name}`);
  return made!.id;
}

const run = (now = () => new Date()) => runWebhooks(app.deps, { now });
const postsTo = (path: string) => posts.filter((p) => p.path === path);
const header = (p: Post, name: string) => {
  const v = p.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
const signed = (p: Post) =>
  verifySignature(
    secrets.get(p.path)!,
    { timestamp: header(p, 'x-paperboy-timestamp'), signature: header(p, 'x-paperboy-signature') },
    p.body,
    Math.floor(Date.now() / 1000),
  );

describe('posting to each chat', () => {
  it('gives each peer the day’s top papers and each new feature once, signed', async () => {
    const first = await run();
    // per webhook: yesterday's top (yesterday is settled from 00:00 UTC) and the four features
    expect(first).toMatchObject({ queued: 25, delivered: 25, retrying: 0, failed: 0 });
    for (const [kind, path] of Object.entries(CHATS)) {
      const got = postsTo(path);
      expect(got.map((p) => header(p, 'x-paperboy-event-id')).sort(), kind).toEqual([
        `daily-top:${yesterday}`,
        'feature:2611.00001',
        'feature:2611.00002',
        'feature:2611.00003',
        'feature:2611.00004',
      ]);
      for (const p of got) {
        expect(signed(p), `${kind} signature`).toBe(true);
        expect(header(p, 'content-type')).toBe('application/json');
        expect(header(p, 'x-paperboy-event')).toMatch(/^(daily-top|feature)$/);
      }
      // a signature under another secret, or over another body, does not verify
      expect(
        verifySignature(
          'wrong',
          {
            timestamp: header(got[0]!, 'x-paperboy-timestamp'),
            signature: header(got[0]!, 'x-paperboy-signature'),
          },
          got[0]!.body,
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(false);
      expect(signed({ ...got[0]!, body: `${got[0]!.body} ` })).toBe(false);
    }
    const top = (path: string) =>
      JSON.parse(postsTo(path).find((p) => header(p, 'x-paperboy-event') === 'daily-top')!.body);

    const slack = top(CHATS.slack);
    expect(slack.text).toContain('Top papers of');
    expect(slack.text).toContain('Robots &lt;b&gt;&amp;&lt;/b&gt; learn');
    expect(slack.blocks).toHaveLength(4);
    expect(slack.blocks[1].text.text).toContain('<http://paperboy.test/papers/2611.00001|Robots &lt;b&gt;');
    expect(slack.blocks[0].text.text).toContain(`http://paperboy.test/papers/date/${yesterday}`);

    const mattermost = top(CHATS.mattermost);
    expect(Object.keys(mattermost)).toEqual(['text']);
    expect(mattermost.text).toContain(
      '[Robots \\<b\\>&\\</b\\> learn @\u200bchannel](http://paperboy.test/papers/2611.00001)',
    );

    const discord = top(CHATS.discord);
    expect(discord.content).toContain('Top papers of');
    expect(discord.embeds.map((e: { url: string }) => e.url)).toEqual(
      [1, 2, 3].map((i) => `http://paperboy.test/papers/2611.0000${i}`),
    );
    expect(discord.allowed_mentions).toEqual({ parse: [] });

    const teams = top(CHATS.teams);
    expect(teams.type).toBe('message');
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0].content.type).toBe('AdaptiveCard');
    expect(JSON.stringify(teams.attachments[0].content.body)).toContain('Language models align');

    const json = top(CHATS.json);
    expect(json).toMatchObject({
      id: `daily-top:${yesterday}`,
      type: 'daily-top',
      day: yesterday,
      site: { name: 'Lab papers', url: 'http://paperboy.test' },
    });
    expect(json.papers.map((p: { id: string; upvotes: number }) => [p.id, p.upvotes])).toEqual([
      ['2611.00001', 40],
      ['2611.00002', 30],
      ['2611.00003', 20],
    ]);
    const feature = JSON.parse(
      postsTo(CHATS.json).find((p) => header(p, 'x-paperboy-event-id') === 'feature:2611.00004')!.body,
    );
    expect(feature).toMatchObject({
      type: 'feature',
      day: today,
      submitter: 'akhaliq',
      paper: { id: '2611.00004', title: 'A paper of today' },
    });

    // again: nothing new to queue, nothing to post
    const before = posts.length;
    expect(await run()).toMatchObject({ queued: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(posts.length).toBe(before);
  });
});

describe('a peer that fails, then recovers', () => {
  it('gets each event exactly once, after retries with growing waits', async () => {
    const path = '/flaky/hook';
    let down = true;
    answers.set(path, () =>
      down
        ? { status: 503, body: `busy; you called ${path}`, headers: { 'retry-after': '90' } }
        : { status: 200 },
    );
    const id = await addWebhook('flaky', 'json', `${peer.origin}${path}`);
    await new Promise((r) => setTimeout(r, 5));
    await seedFeatures(store, [
      { day: today, upvotes: 2, paper: paperRecord({ id: '2611.00005' }) },
      { day: today, upvotes: 3, paper: paperRecord({ id: '2611.00006' }) },
    ]);
    let t = Date.now();
    const clock = () => new Date(t);
    const first = await run(clock);
    // the flaky one: yesterday's top and the two new features; the five chats: the two new features
    expect(first.queued).toBe(13);
    expect(first.retrying).toBe(3);
    expect(postsTo(path)).toHaveLength(3);
    const waiting = await rows<{
      next_attempt_at: string;
      last_status: number;
      error: string;
      attempts: number;
    }>(
      store,
      sql`SELECT next_attempt_at, last_status, error, attempts FROM webhook_deliveries WHERE webhook_id = ${id}`,
    );
    for (const w of waiting) {
      expect(w).toMatchObject({ last_status: 503, attempts: 1 });
      // Retry-After: 90 s is longer than the first backoff (30 s), so it wins
      expect(Date.parse(w.next_attempt_at) - t).toBe(90_000);
      // the peer echoed its path: it is not kept
      expect(w.error).toBe('answered 503: busy; you called [url]');
    }
    // the failures are on the admin page, under the webhook's name, with the URL masked
    const page = await admin.page('/admin/webhooks');
    expect(page.html).toContain('Recent failures');
    expect(page.html).toMatch(/<td>flaky<\/td><td>feature:2611\.00005<\/td><td>retrying<\/td>/);
    expect(page.html).toContain(`${peer.origin}/…`);
    expect(page.html).not.toContain('/flaky/hook');

    expect((await run(clock)).delivered).toBe(0);
    expect(postsTo(path)).toHaveLength(3);
    t += 91_000;
    expect((await run(clock)).retrying).toBe(3);
    expect(postsTo(path)).toHaveLength(6);
    down = false;
    t += 30_000;
    // not due yet: the second wait is max(60 s, Retry-After 90 s)
    expect((await run(clock)).delivered).toBe(0);
    t += 61_000;
    expect(await run(clock)).toMatchObject({ delivered: 3, retrying: 0, failed: 0 });
    t += 3_600_000;
    // an hour on, nothing of these events is posted again (the hour may cross midnight UTC and bring today's top)
    await run(clock);
    const ours = () => postsTo(path).filter((p) => header(p, 'x-paperboy-event-id') !== `daily-top:${today}`);

    const ok = ours().filter((p) => p.answered === 200);
    expect(ok.map((p) => header(p, 'x-paperboy-event-id')).sort()).toEqual([
      `daily-top:${yesterday}`,
      'feature:2611.00005',
      'feature:2611.00006',
    ]);
    expect(ours()).toHaveLength(9);
    for (const p of ours()) expect(signed(p)).toBe(true);
    // every attempt of one event carried the same event id and the same body
    const bodies = new Map<string, Set<string>>();
    for (const p of ours()) {
      const key = header(p, 'x-paperboy-event-id')!;
      bodies.set(key, (bodies.get(key) ?? new Set()).add(p.body));
    }
    for (const b of bodies.values()) expect(b.size).toBe(1);
    expect(
      await count(
        store,
        sql`SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = ${id} AND status = 'delivered'
          AND event_key <> ${`daily-top:${today}`}`,
      ),
    ).toBe(3);
  });

  it('stops at once on a 4xx that will not change, and after WEBHOOK_MAX_ATTEMPTS otherwise', async () => {
    answers.set('/gone', () => ({ status: 404, body: 'no_service' }));
    answers.set('/down', () => ({ status: 500 }));
    const gone = await addWebhook('gone', 'slack', `${peer.origin}/gone`, ['daily-top']);
    const down = await addWebhook('down', 'json', `${peer.origin}/down`, ['daily-top']);
    let t = Date.now();
    const clock = () => new Date(t);
    await run(clock);
    // five hours on may cross midnight UTC and queue the next day's top as well: look at yesterday's alone
    const event = `daily-top:${yesterday}`;
    const state = (id: number) =>
      row<{ status: string; attempts: number; error: string }>(
        store,
        sql`SELECT status, attempts, error FROM webhook_deliveries WHERE webhook_id = ${id} AND event_key = ${event}`,
      );
    const postsOf = (path: string) => postsTo(path).filter((p) => header(p, 'x-paperboy-event-id') === event);
    expect(await state(gone)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'answered 404: no_service',
    });
    for (let i = 0; i < 5; i++) {
      t += 3_600_000;
      await run(clock);
    }
    expect(await state(down)).toMatchObject({
      status: 'failed',
      attempts: 4,
      error: 'gave up after 4 attempts: answered 500',
    });
    expect(postsOf('/gone')).toHaveLength(1);
    expect(postsOf('/down')).toHaveLength(4);
    const page = await admin.page('/admin/webhooks');
    expect(page.html).toContain('answered 404: no_service');
    expect(page.html).toContain('gave up after 4 attempts');
  });
});

describe('the admin page', () => {
  it('is for admins only', async () => {
    const member = await new TestClient(app).signUp('chat_member');
    expect((await member.page('/admin/webhooks')).status).toBe(403);
    await member.page('/settings');
    const res = await member.post('/admin/webhooks', {
      name: 'x',
      kind: 'json',
      url: `${peer.origin}/x`,
      events: 'feature',
    });
    expect(res.status).toBe(403);
    const anonymous = await app.request('/admin/webhooks');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login/);
    // without the CSRF token
    const forged = await app.request('/admin/webhooks', {
      method: 'POST',
      body: new URLSearchParams({ name: 'x', kind: 'json', url: `${peer.origin}/x`, events: 'feature' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: admin.cookie,
        origin: 'http://paperboy.test',
      },
    });
    expect(forged.status).toBe(403);
    expect(await count(store, sql`SELECT count(*) AS n FROM webhooks WHERE name = 'x'`)).toBe(0);
  });

  it('refuses bad input with 400 and says why', async () => {
    const good = { name: 'ok', kind: 'json', url: `${peer.origin}/ok`, events: 'feature' };
    const cases: [Record<string, string>, string][] = [
      [{ ...good, url: 'javascript:alert(1)' }, 'Only http and https URLs'],
      [{ ...good, url: 'ftp://example.org/x' }, 'Only http and https URLs'],
      [{ ...good, url: 'http://user:pw@example.org/x' }, 'no user name or password'],
      [{ ...good, url: '/relative/path' }, 'Not a URL'],
      [{ ...good, url: '' }, 'Paste the incoming webhook URL'],
      [{ ...good, url: `https://example.org/${'x'.repeat(2100)}` }, 'at most 2000 characters'],
      [{ ...good, kind: 'irc' }, 'Choose one of'],
      [{ ...good, name: '' }, 'Give the webhook a name'],
      [{ ...good, name: 'x'.repeat(81) }, 'at most 80 characters'],
      [{ ...good, name: 'a\u0007b' }, 'control characters'],
      [{ ...good, events: 'everything' }, 'Events are'],
      [{ name: 'ok', kind: 'json', url: `${peer.origin}/ok` }, 'at least one event'],
      [{ ...good, name: '<script>alert("pb")</script>', url: '<img src=x>' }, 'Not a URL'],
    ];
    for (const [fields, message] of cases) {
      const res = await admin.post('/admin/webhooks', fields);
      const html = await res.text();
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(html).toContain(message);
      expect(html).not.toContain('<script>alert("pb")');
    }
    expect(await count(store, sql`SELECT count(*) AS n FROM webhooks WHERE name = 'ok'`)).toBe(0);
    limiterNow += 61_000;
    for (const path of [
      '/admin/webhooks/0/test',
      '/admin/webhooks/99999999999/delete',
      '/admin/webhooks/abc/test',
      '/admin/webhooks/424242/delete',
    ])
      expect((await admin.post(path, {})).status).toBe(404);
  });

  it('limits an admin to 30 changes a minute', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push((await admin.post('/admin/webhooks', { name: '' })).status);
    expect(codes.slice(0, 30).every((c) => c === 400)).toBe(true);
    expect(codes[30]).toBe(429);
  });

  it('sends a test, shows the URL masked, and removes a webhook with its outbox', async () => {
    const page = await admin.page('/admin/webhooks');
    expect(page.html).toContain(`${peer.origin}/…`);
    for (const path of Object.values(CHATS)) expect(page.html).not.toContain(path);
    const id = (await row<{ id: number }>(store, sql`SELECT id FROM webhooks WHERE name = 'discord'`))!.id;
    const before = postsTo(CHATS.discord).length;
    const tested = await admin.post(`/admin/webhooks/${id}/test`, {});
    expect(tested.status).toBe(200);
    expect(await tested.text()).toContain('the test message was posted');
    const test = postsTo(CHATS.discord).at(-1)!;
    expect(postsTo(CHATS.discord)).toHaveLength(before + 1);
    expect(header(test, 'x-paperboy-event')).toBe('test');
    expect(signed(test)).toBe(true);
    expect(JSON.parse(test.body).content).toContain('this webhook works');

    const gone = (await row<{ id: number }>(store, sql`SELECT id FROM webhooks WHERE name = 'gone'`))!.id;
    const failed = await admin.post(`/admin/webhooks/${gone}/test`, {});
    expect(await failed.text()).toContain('The test post to “gone” failed: answered 404: no_service');

    const removed = await admin.post(`/admin/webhooks/${id}/delete`, {});
    expect(removed.status).toBe(303);
    expect(await count(store, sql`SELECT count(*) AS n FROM webhooks WHERE id = ${id}`)).toBe(0);
    expect(
      await count(store, sql`SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = ${id}`),
    ).toBe(0);
    expect((await admin.post(`/admin/webhooks/${id}/delete`, {})).status).toBe(404);
  });
});

describe('the URL is a secret', () => {
  it('is in no log line, whatever failed', async () => {
    const closed = await startLocalServer(() => {});
    const closedOrigin = closed.origin;
    await closed.close();
    await addWebhook('refused', 'json', `${closedOrigin}/refused/secretpath?token=querysecret`, [
      'daily-top',
    ]);
    const echo = await addWebhook('echo', 'json', `${peer.origin}/echo/secretpath?token=querysecret`, [
      'daily-top',
    ]);
    answers.set('/echo/secretpath', (p) => ({ status: 500, body: `${p.path}?token=querysecret` }));
    await run();
    await admin.post(`/admin/webhooks/${echo}/test`, {});
    const logs = logLines.join('');
    expect(logs).toContain('"webhook"');
    expect(logs).toContain('could not connect: ECONNREFUSED');
    expect(logs).toContain('answered 500: [url]');
    expect(logs).not.toContain('secretpath');
    expect(logs).not.toContain('querysecret');
    for (const path of [...Object.values(CHATS), '/flaky/hook']) expect(logs).not.toContain(path);
    const errors = await rows<{ error: string | null }>(store, sql`SELECT error FROM webhook_deliveries`);
    for (const e of errors) expect(e.error ?? '').not.toMatch(/secretpath|querysecret/);
    const page = await admin.page('/admin/webhooks');
    expect(page.html).not.toMatch(/secretpath|querysecret/);
  });
});
