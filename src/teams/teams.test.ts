import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import { startSmtpPeer } from '../../test/helpers/smtp-peer.ts';
import {
  count,
  createStoreUnderTest,
  row,
  rows,
  type StoreUnderTest,
  sql,
} from '../../test/helpers/store-under-test.ts';
import { parseDigestPeriod } from '../digests/digest-period.ts';
import { sendDigests } from '../digests/send.ts';
import { enqueueDueEvents } from '../webhooks/events.ts';
import { newTeamFromForm, parseSlug, slugFromName } from './input.ts';

/**
 * Teams through the real app, on both engines (docs/teams.md): who may make, rename and delete a team and manage
 * its members (admins; leads for membership), the team page and its lists, the badges on cards, the team digest
 * through the digest outbox and a real SMTP peer, a team's webhook, and hostile input on every form.
 */
let store: StoreUnderTest;
let app: Awaited<ReturnType<typeof createTestApp>>;
let peer: Awaited<ReturnType<typeof startSmtpPeer>>;
let admin: TestClient;
let lead: TestClient;
let member: TestClient;
let outsider: TestClient;

const DAY = '2026-11-26';
const P = { liked: '2611.10001', both: '2611.10002', featured: '2611.10003', ignored: '2611.10004' };
const TITLES = {
  liked: 'Members liked this one',
  both: 'Two members upvoted this',
  featured: 'A lead featured this',
  ignored: 'Nobody in the team cares',
};

beforeAll(async () => {
  store = await createStoreUnderTest();
  peer = await startSmtpPeer();
  app = await createTestApp(store, {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(peer.port),
    SMTP_TLS: 'none',
    MAIL_FROM: 'Lab papers <digest@paperboy.test>',
    INSTANCE_NAME: 'Lab papers',
    DIGEST_RATE_PER_SECOND: '1000',
    HARVEST_ENABLED: 'false',
    ARXIV_LOOKUPS_ENABLED: 'false',
  });
  await seedFeatures(
    store,
    (Object.keys(P) as (keyof typeof P)[]).map((k, i) => ({
      day: DAY,
      upvotes: 40 - i * 5,
      paper: paperRecord({ id: P[k], title: TITLES[k] }),
    })),
  );
  admin = await new TestClient(app).signUp('t_admin');
  lead = await new TestClient(app).signUp('t_lead');
  member = await new TestClient(app).signUp('t_member');
  outsider = await new TestClient(app).signUp('t_outsider');
}, 60_000);

afterAll(async () => {
  app?.deps.mailer.close();
  await peer?.close();
  await store?.dispose();
});

const userId = async (name: string) =>
  (await row<{ id: number }>(store, sql`SELECT id FROM users WHERE username = ${name}`))!.id;

describe('team input (pure)', () => {
  it('makes slugs from names and checks typed ones', () => {
    expect(slugFromName('Vision Lab (Zürich)')).toBe('vision-lab-zurich');
    expect(slugFromName('!!!')).toBe('');
    expect(parseSlug('vision-lab')).toBe('vision-lab');
    for (const bad of ['', '-a', 'a-', 'a--b', 'A', 'a b', '../x', 'x'.repeat(41), 'é'])
      expect(parseSlug(bad)).toBeNull();
    expect(newTeamFromForm({ name: 'Vision lab' })).toEqual({
      ok: true,
      value: { name: 'Vision lab', slug: 'vision-lab', description: '' },
    });
    expect(newTeamFromForm({ name: '\u202eevil' }).ok).toBe(false);
    expect(newTeamFromForm({ name: 'a\u0000b' }).ok).toBe(false);
    expect(newTeamFromForm({ name: '???' }).ok).toBe(false);
  });
});

describe('making and managing a team', () => {
  it('lets only admins make a team; every bad input is a 400 with a message', async () => {
    await admin.page('/teams');
    for (const [fields, status] of [
      [{ name: '' }, 400],
      [{ name: 'x'.repeat(61) }, 400],
      [{ name: 'Ok', slug: 'Not a slug!' }, 400],
      [{ name: 'Ok', slug: 'x'.repeat(41) }, 400],
      [{ name: '<script>alert(1)</script>', slug: '<b>' }, 400],
      [{ name: '\u202eevil' }, 400],
      [{ name: 'Ok', description: 'd'.repeat(501) }, 400],
    ] as const) {
      const res = await admin.post('/teams', fields);
      expect(res.status, JSON.stringify(fields)).toBe(status);
      const text = await res.text();
      expect(text).not.toContain('<script>alert(1)');
      expect(text).toMatch(/<h1>[^<]+<\/h1>/);
    }
    const made = await admin.post('/teams', { name: 'Vision lab', description: 'Pixels & such' });
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toBe('/teams/vision-lab/manage');
    expect((await admin.post('/teams', { name: 'Other', slug: 'vision-lab' })).status).toBe(409);
    await member.page('/teams');
    expect((await member.post('/teams', { name: 'Mine' })).status).toBe(403);
    expect((await new TestClient(app).post('/teams', { name: 'Anon' })).status).toBe(303);
    // without the CSRF token
    const forged = await admin.request('/teams', {
      method: 'POST',
      body: new URLSearchParams({ name: 'Forged' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://paperboy.test' },
    });
    expect(forged.status).toBe(403);
    expect(await count(store, sql`SELECT count(*) AS n FROM teams`)).toBe(1);
  });

  it('admins appoint leads; leads add and remove members but appoint no lead', async () => {
    await admin.page('/teams/vision-lab/manage');
    expect((await admin.post('/teams/vision-lab/members', { username: 't_lead', role: 'lead' })).status).toBe(
      303,
    );
    await lead.page('/teams/vision-lab/manage');
    expect(
      (await lead.post('/teams/vision-lab/members', { username: 't_outsider', role: 'lead' })).status,
    ).toBe(403);
    expect((await lead.post('/teams/vision-lab/members', { username: 't_member' })).status).toBe(303);
    expect((await lead.post('/teams/vision-lab/members', { username: 't_outsider' })).status).toBe(303);
    expect((await lead.post('/teams/vision-lab/members/t_outsider/remove', {})).status).toBe(303);
    // hostile or unknown input
    expect((await lead.post('/teams/vision-lab/members', { username: '' })).status).toBe(400);
    expect((await lead.post('/teams/vision-lab/members', { username: 'x'.repeat(500) })).status).toBe(400);
    expect((await lead.post('/teams/vision-lab/members', { username: "' OR 1=1 --" })).status).toBe(404);
    expect(
      (await lead.post('/teams/vision-lab/members', { username: 't_member', role: 'boss' })).status,
    ).toBe(400);
    expect((await lead.post('/teams/no-such-team/members', { username: 't_member' })).status).toBe(404);
    expect((await lead.post('/teams/vision-lab/members/nobody/remove', {})).status).toBe(404);
    // leads neither rename, delete nor change roles
    expect((await lead.post('/teams/vision-lab/manage', { name: 'Renamed' })).status).toBe(403);
    expect((await lead.post('/teams/vision-lab/delete', {})).status).toBe(403);
    expect((await lead.post('/teams/vision-lab/members/t_member/role', { role: 'lead' })).status).toBe(403);
    // members do not manage
    await member.page('/teams/vision-lab');
    expect((await member.page('/teams/vision-lab/manage')).status).toBe(403);
    expect((await member.post('/teams/vision-lab/members', { username: 't_outsider' })).status).toBe(403);
    expect((await member.post('/teams/vision-lab/members/t_lead/remove', {})).status).toBe(403);
    // admins rename and change roles, with the same checks
    expect((await admin.post('/teams/vision-lab/manage', { name: '' })).status).toBe(400);
    expect(
      (await admin.post('/teams/vision-lab/manage', { name: 'Vision lab', description: 'Pixels' })).status,
    ).toBe(303);
    expect((await admin.post('/teams/vision-lab/members/t_member/role', { role: 'king' })).status).toBe(400);
    expect((await admin.post('/teams/vision-lab/members/t_outsider/role', { role: 'lead' })).status).toBe(
      404,
    );
    const members = await rows<{ username: string; role: string }>(
      store,
      sql`SELECT u.username, m.role FROM team_members m JOIN users u ON u.id = m.user_id ORDER BY u.username`,
    );
    expect(members).toEqual([
      { username: 't_lead', role: 'lead' },
      { username: 't_member', role: 'member' },
    ]);
    const page = await lead.page('/teams/vision-lab/manage');
    expect(page.html).toContain('t_member');
    expect(page.html).not.toContain('Delete Vision lab');
    expect((await admin.page('/teams/vision-lab/manage')).html).toContain('Delete Vision lab');
    // a member's profile names their teams, a lead's says so
    expect((await outsider.page('/u/t_lead')).html).toMatch(
      /Teams: <a href="\/teams\/vision-lab">Vision lab<\/a> \(lead\)/,
    );
    expect((await outsider.page('/u/t_member')).html).toContain('<a href="/teams/vision-lab">Vision lab</a>');
    expect((await outsider.page('/u/t_outsider')).html).not.toContain('Teams:');
  });
});

describe('the team page, its lists and the badges', () => {
  beforeAll(async () => {
    await member.page(`/papers/${P.liked}`);
    expect((await member.post(`/papers/${P.liked}/upvote`, {})).status).toBeLessThan(400);
    expect((await member.post(`/papers/${P.both}/upvote`, {})).status).toBeLessThan(400);
    await lead.page(`/papers/${P.both}`);
    expect((await lead.post(`/papers/${P.both}/upvote`, {})).status).toBeLessThan(400);
    // an outsider's upvote does not count for the team
    await outsider.page(`/papers/${P.ignored}`);
    expect((await outsider.post(`/papers/${P.ignored}/upvote`, {})).status).toBeLessThan(400);
    // the lead featured one (as submitting it would record)
    await sql`UPDATE features SET submitter_id = ${await userId('t_lead')}, submitter = 't_lead' WHERE paper_id = ${P.featured}`.execute(
      store.db,
    );
    // the member saves one in a public collection
    await member.page('/collections');
    expect((await member.post('/collections', { name: 'Public picks', visibility: 'public' })).status).toBe(
      303,
    );
    const [col] = await rows<{ id: number }>(
      store,
      sql`SELECT id FROM collections WHERE name = 'Public picks'`,
    );
    expect(
      (await member.post('/collections/save', { paper_id: P.liked, collection_id: String(col!.id) })).status,
    ).toBe(303);
  });

  it('ranks the daily and weekly lists by members’ upvotes and shows what members featured, upvoted and saved', async () => {
    const page = await new TestClient(app).page('/teams/vision-lab');
    expect(page.status).toBe(200);
    const html = page.html;
    expect(html).toContain('t_lead');
    expect(html).toContain('(lead)');
    // the daily list: two members' upvotes beat one, the lead's feature comes in, the outsider's paper does not
    const daily = html.slice(html.indexOf('Daily list'), html.indexOf('Weekly list'));
    expect(daily.indexOf(TITLES.both)).toBeGreaterThan(-1);
    expect(daily.indexOf(TITLES.both)).toBeLessThan(daily.indexOf(TITLES.liked));
    expect(daily).toContain(TITLES.featured);
    expect(daily).not.toContain(TITLES.ignored);
    const featured = html.slice(html.indexOf('Featured by members'), html.indexOf('Upvoted by members'));
    expect(featured).toContain(TITLES.featured);
    expect(featured).not.toContain(TITLES.liked);
    const upvoted = html.slice(html.indexOf('Upvoted by members'), html.indexOf('Saved by members'));
    expect(upvoted).toContain('upvoted by 2 members');
    expect(upvoted).not.toContain(TITLES.ignored);
    const saved = html.slice(html.indexOf('Saved by members'), html.indexOf('id="collection"'));
    expect(saved).toContain(TITLES.liked);
    const week = await new TestClient(app).page('/teams/vision-lab/week/2026-W48');
    expect(week.status).toBe(200);
    expect(week.html.indexOf(TITLES.both)).toBeLessThan(week.html.indexOf(TITLES.liked));
    expect(week.html).not.toContain(TITLES.ignored);
    const day = await new TestClient(app).page(`/teams/vision-lab/date/${DAY}`);
    expect(day.status).toBe(200);
    expect(day.html).toContain(TITLES.featured);
    for (const bad of [
      '/teams/vision-lab/date/2026-13-01',
      '/teams/vision-lab/week/2026-W99',
      '/teams/vision-lab/date/%3Cb%3E',
    ])
      expect((await app.request(bad)).status, bad).toBe(400);
    for (const missing of ['/teams/nope', '/teams/NOPE', '/teams/..%2F..', `/teams/${'x'.repeat(300)}`])
      expect((await app.request(missing)).status, missing).toBe(404);
    const index = await new TestClient(app).page('/teams');
    expect(index.html).toContain('Vision lab');
    expect(index.html).toContain('2 members');
  });

  it('shows members a badge with how many teammates acted on a paper, in one query for the page', async () => {
    const list = await member.page(`/papers/date/${DAY}`);
    const card = (id: string) => {
      const start = list.html.indexOf(`id="paper-${id}"`);
      return list.html.slice(start, list.html.indexOf('</li>', start));
    };
    expect(card(P.both)).toContain('Vision lab · 2');
    expect(card(P.liked)).toContain('Vision lab · 1');
    expect(card(P.featured)).toContain('Vision lab · 1');
    expect(card(P.ignored)).not.toContain('team-badge');
    expect((await outsider.page(`/papers/date/${DAY}`)).html).not.toContain('team-badge');
    expect((await new TestClient(app).page(`/papers/date/${DAY}`)).html).not.toContain('team-badge');
  });

  it('keeps a team collection its members add to and remove from', async () => {
    await member.page('/teams/vision-lab');
    expect((await member.post('/teams/vision-lab/papers', { paper_id: P.ignored })).status).toBe(303);
    expect((await member.post('/teams/vision-lab/papers', { paper_id: P.ignored })).status).toBe(303);
    expect((await member.post('/teams/vision-lab/papers', { paper_id: 'not an id' })).status).toBe(400);
    expect((await member.post('/teams/vision-lab/papers', { paper_id: '' })).status).toBe(400);
    expect((await member.post('/teams/vision-lab/papers', { paper_id: '2612.99999' })).status).toBe(404);
    expect(
      (await member.post('/teams/vision-lab/papers', { paper_id: P.liked, action: 'burn' })).status,
    ).toBe(400);
    const next = await member.post('/teams/vision-lab/papers', {
      paper_id: P.liked,
      next: 'https://evil.example/',
    });
    expect(next.headers.get('location')).toBe('/teams/vision-lab#collection');
    await outsider.page('/teams/vision-lab');
    expect((await outsider.post('/teams/vision-lab/papers', { paper_id: P.both })).status).toBe(403);
    const page = await new TestClient(app).page('/teams/vision-lab');
    const collection = page.html.slice(page.html.indexOf('id="collection"'));
    expect(collection).toContain(TITLES.ignored);
    expect(collection).toContain('added by t_member');
    expect(
      (await member.post('/teams/vision-lab/papers', { paper_id: P.liked, action: 'remove' })).status,
    ).toBe(303);
    expect(await count(store, sql`SELECT count(*) AS n FROM team_papers`)).toBe(1);
  });
});

describe('the team digest', () => {
  const period = parseDigestPeriod(`daily:${DAY}`)!;
  const mailsTo = (address: string) => peer.received.filter((m) => m.to.includes(address));

  it('is for members only, and takes a confirmed address', async () => {
    await outsider.page('/teams/vision-lab');
    expect((await outsider.post('/teams/vision-lab/digest', { frequency: 'daily' })).status).toBe(403);
    await member.page('/teams/vision-lab');
    expect((await member.post('/teams/vision-lab/digest', { frequency: 'hourly' })).status).toBe(400);
    expect((await member.post('/teams/vision-lab/digest', { frequency: '' })).status).toBe(400);
    const chose = await member.post('/teams/vision-lab/digest', { frequency: 'daily' });
    expect(chose.status).toBe(303);
    expect(chose.headers.get('location')).toBe('/teams/vision-lab?digest=pending');
    const confirmation = mailsTo('t_member@example.org').at(-1)!;
    const link = /http:\/\/paperboy\.test(\/subscription\/confirm\/\S+)/.exec(
      confirmation.mail.text ?? '',
    )![1]!;
    expect((await app.request(link)).status).toBe(303);
    expect((await member.page('/teams/vision-lab')).html).toContain('You get the daily digest of Vision lab');
  });

  it('lists the team’s papers by members’ upvotes, through the outbox, once', async () => {
    const summary = await sendDigests(app.deps, period);
    expect(summary).toMatchObject({ sent: 1, failed: 0 });
    const digest = mailsTo('t_member@example.org').find((m) => m.mail.subject?.includes('Top papers'))!;
    expect(digest.mail.subject).toBe('Vision lab: Top papers of Thursday, 26 November 2026 · Lab papers');
    const text = digest.mail.text ?? '';
    expect(text).toContain(`1. ${TITLES.both}`);
    expect(text.indexOf(TITLES.both)).toBeLessThan(text.indexOf(TITLES.liked));
    expect(text).toContain(TITLES.featured);
    expect(text).not.toContain(TITLES.ignored);
    expect(digest.mail.html).toContain('chosen by the members of Vision lab');
    const raw = digest.raw.toString().replace(/\r\n[ \t]+/g, ' ');
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const unsubscribe = /^List-Unsubscribe: <([^>]+)>\r?$/m.exec(raw)![1]!;
    // the browser view shows the same team list
    const view = /http:\/\/paperboy\.test(\/digest\/\S+)/.exec(text)![1]!;
    const viewed = await (await app.request(view)).text();
    expect(viewed).toContain(TITLES.both);
    expect(viewed).not.toContain(TITLES.ignored);
    // exactly once: a second run sends nothing
    expect(await sendDigests(app.deps, period)).toMatchObject({ sent: 0, queued: 0 });
    expect(
      mailsTo('t_member@example.org').filter((m) => m.mail.subject?.includes('Top papers')),
    ).toHaveLength(1);
    // RFC 8058 one-click works for a team digest as for any
    const oneClick = await app.request(unsubscribe.replace('http://paperboy.test', ''), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(
      (await row<{ status: string }>(
        store,
        sql`SELECT status FROM subscriptions WHERE email = 't_member@example.org'`,
      ))!.status,
    ).toBe('unsubscribed');
  });

  it('goes back to the site’s list when the member leaves the team', async () => {
    await lead.page('/teams/vision-lab');
    expect((await lead.post('/teams/vision-lab/digest', { frequency: 'weekly' })).status).toBe(303);
    await sql`UPDATE subscriptions SET status = 'confirmed' WHERE email = 't_lead@example.org'`.execute(
      store.db,
    );
    expect(
      (await row<{ team_id: number | null }>(
        store,
        sql`SELECT team_id FROM subscriptions WHERE email = 't_lead@example.org'`,
      ))!.team_id,
    ).not.toBeNull();
    expect((await lead.post('/teams/vision-lab/members/t_lead/remove', {})).status).toBe(303);
    expect(
      (await row<{ team_id: number | null }>(
        store,
        sql`SELECT team_id FROM subscriptions WHERE email = 't_lead@example.org'`,
      ))!.team_id,
    ).toBeNull();
    await admin.page('/teams/vision-lab/manage');
    expect((await admin.post('/teams/vision-lab/members', { username: 't_lead', role: 'lead' })).status).toBe(
      303,
    );
  });
});

describe('a team’s webhook', () => {
  it('posts only the features its members submitted or upvoted; an unknown team is a 400', async () => {
    const team = (await row<{ id: number }>(store, sql`SELECT id FROM teams WHERE slug = 'vision-lab'`))!;
    await admin.page('/admin/webhooks');
    const base = { name: '#vision', kind: 'json', url: 'http://127.0.0.1:9/hook', events: 'feature' };
    for (const bad of ['999999', 'abc', '-1', '99999999999999999999'])
      expect((await admin.post('/admin/webhooks', { ...base, team_id: bad })).status, bad).toBe(400);
    expect((await admin.post('/admin/webhooks', { ...base, team_id: String(team.id) })).status).toBe(201);
    expect((await admin.post('/admin/webhooks', { ...base, name: '#all', team_id: '' })).status).toBe(201);
    const hooks = await rows<{ id: number; name: string; team_id: number | null }>(
      store,
      sql`SELECT id, name, team_id FROM webhooks ORDER BY id`,
    );
    expect(hooks.map((h) => h.team_id)).toEqual([team.id, null]);
    expect((await admin.page('/admin/webhooks')).html).toContain('Vision lab');
    // two new features: one a member upvotes, one nobody in the team touches
    const today = new Date().toISOString().slice(0, 10);
    await seedFeatures(store, [
      { day: today, upvotes: 1, paper: paperRecord({ id: '2611.20001', title: 'Fresh and upvoted' }) },
      { day: today, upvotes: 1, paper: paperRecord({ id: '2611.20002', title: 'Fresh and ignored' }) },
    ]);
    await member.page('/papers/2611.20001');
    expect((await member.post('/papers/2611.20001/upvote', {})).status).toBeLessThan(400);
    await enqueueDueEvents(app.deps, new Date());
    const queued = await rows<{ webhook_id: number; event_key: string }>(
      store,
      sql`SELECT webhook_id, event_key FROM webhook_deliveries WHERE event_key LIKE 'feature:%' ORDER BY webhook_id, event_key`,
    );
    expect(queued).toEqual([
      { webhook_id: hooks[0]!.id, event_key: 'feature:2611.20001' },
      { webhook_id: hooks[1]!.id, event_key: 'feature:2611.20001' },
      { webhook_id: hooks[1]!.id, event_key: 'feature:2611.20002' },
    ]);
  });

  it('posts the team’s own list as the day’s top papers; a webhook of no team posts the site’s', async () => {
    const team = (await row<{ id: number }>(store, sql`SELECT id FROM teams WHERE slug = 'vision-lab'`))!;
    await admin.page('/admin/webhooks');
    const base = { kind: 'json', url: 'http://127.0.0.1:9/hook', events: 'daily-top' };
    expect(
      (await admin.post('/admin/webhooks', { ...base, name: '#vision-top', team_id: String(team.id) }))
        .status,
    ).toBe(201);
    expect((await admin.post('/admin/webhooks', { ...base, name: '#all-top', team_id: '' })).status).toBe(
      201,
    );
    const day = '2026-03-10';
    await seedFeatures(store, [
      { day, upvotes: 2, paper: paperRecord({ id: '2603.30001', title: 'Top and upvoted by the team' }) },
      { day, upvotes: 9, paper: paperRecord({ id: '2603.30002', title: 'Top for the site only' }) },
    ]);
    await member.page('/papers/2603.30001');
    expect((await member.post('/papers/2603.30001/upvote', {})).status).toBeLessThan(400);
    // the day after, past DIGEST_DAILY_HOUR (7 UTC): the 10th is settled
    await enqueueDueEvents(app.deps, new Date('2026-03-11T12:00:00Z'));
    const posts = await rows<{ name: string; body: string }>(
      store,
      sql`SELECT w.name, d.body FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.event_key = ${`daily-top:${day}`} ORDER BY w.name`,
    );
    expect(posts.map((p) => p.name)).toEqual(['#all-top', '#vision-top']);
    const ids = (body: string) => (JSON.parse(body) as { papers: { id: string }[] }).papers.map((p) => p.id);
    expect(ids(posts[0]!.body)).toEqual(['2603.30002', '2603.30001']);
    expect(ids(posts[1]!.body)).toEqual(['2603.30001']);
    const teamPost = JSON.parse(posts[1]!.body) as { title: string; url: string };
    expect(teamPost.title).toMatch(/^Vision lab: /);
    expect(teamPost.url).toBe(`http://paperboy.test/teams/vision-lab/date/${day}`);
  });

  it('deleting a team disables and detaches its webhook, ends team digests, and keeps its members', async () => {
    await sql`UPDATE subscriptions SET team_id = (SELECT id FROM teams WHERE slug = 'vision-lab')`.execute(
      store.db,
    );
    await admin.page('/teams/vision-lab/manage');
    expect((await admin.post('/teams/vision-lab/delete', {})).status).toBe(303);
    expect((await app.request('/teams/vision-lab')).status).toBe(404);
    const hook = (await row<{ team_id: number | null; disabled_at: string | null }>(
      store,
      sql`SELECT team_id, disabled_at FROM webhooks WHERE name = '#vision'`,
    ))!;
    expect(hook.team_id).toBeNull();
    expect(hook.disabled_at).not.toBeNull();
    expect(await count(store, sql`SELECT count(*) AS n FROM subscriptions WHERE team_id IS NOT NULL`)).toBe(
      0,
    );
    expect(await count(store, sql`SELECT count(*) AS n FROM team_members`)).toBe(0);
    expect(await count(store, sql`SELECT count(*) AS n FROM users`)).toBe(4);
  });
});
