import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import { startSmtpPeer } from '../../test/helpers/smtp-peer.ts';
import {
  createStoreUnderTest as createTestStore,
  row,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';
import { silentLogger } from '../log.ts';
import { createMailer } from '../mail/mailer.ts';
import { parseDigestPeriod } from './digest-period.ts';
import { sendDigests } from './send.ts';

let store: TestStore;
let peer: Awaited<ReturnType<typeof startSmtpPeer>>;
let app: Awaited<ReturnType<typeof createTestApp>>;
const refused = new Map<string, number>();

beforeAll(async () => {
  store = await createTestStore();
  peer = await startSmtpPeer({ reject: (address) => refused.get(address) ?? null });
  app = await createTestApp(store, {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(peer.port),
    SMTP_TLS: 'none',
    MAIL_FROM: 'Lab papers <digest@paperboy.test>',
    INSTANCE_NAME: 'Lab papers',
    DIGEST_RATE_PER_SECOND: '1000',
  });
  await seedFeatures(store, [
    {
      day: '2026-11-26',
      upvotes: 40,
      paper: paperRecord({ id: '2611.00001', title: 'Robots <b>that</b> learn', categories: ['cs.RO'] }),
    },
    {
      day: '2026-11-26',
      upvotes: 30,
      paper: paperRecord({ id: '2611.00002', title: 'Language models align', categories: ['cs.CL'] }),
    },
    {
      day: '2026-11-26',
      upvotes: 20,
      paper: paperRecord({ id: '2611.00003', title: 'Vision transformers', categories: ['cs.CV'] }),
    },
  ]);
});
afterAll(async () => {
  app.deps.mailer.close();
  await peer.close();
  await store.dispose();
});

const mailsTo = (address: string) => peer.received.filter((m) => m.to.includes(address));
const linkIn = (text: string | undefined, path: string) => {
  const m = new RegExp(`http://paperboy\\.test(${path}[^\\s]*)`).exec(text ?? '');
  if (!m) throw new Error(`no ${path} link in ${text}`);
  return m[1]!;
};
const period = parseDigestPeriod('daily:2026-11-26')!;

async function subscribe(email: string, fields: Record<string, string> = {}) {
  const client = new TestClient(app);
  const res = await client.post('/subscribe', { email, frequency: 'daily', count: '10', ...fields });
  return { status: res.status, html: await res.text() };
}

describe('digests over a real SMTP round trip', () => {
  it('sends a confirmation with a signed link; confirming leads to the preferences', async () => {
    const answer = await subscribe('ada@example.org', { categories: 'cs.CL', keywords: 'robots' });
    expect(answer.status).toBe(200);
    const [confirmation] = mailsTo('ada@example.org');
    expect(confirmation!.mail.subject).toBe('Confirm your Lab papers digest');
    expect(confirmation!.mail.from?.text).toBe('"Lab papers" <digest@paperboy.test>');
    const confirm = await app.request(linkIn(confirmation!.mail.text, '/subscription/confirm/'));
    expect(confirm.status).toBe(303);
    const manage = await app.request(confirm.headers.get('location')!);
    expect(manage.status).toBe(200);
    expect(await manage.text()).toContain('Subscription confirmed');
  });

  it('answers the same whatever the address, and never reveals a known one', async () => {
    const known = await subscribe('ada@example.org');
    const unknown = await subscribe('grace@example.org');
    expect(known.html.replace(/name="_csrf"[^>]*/g, '')).toBe(unknown.html.replace(/name="_csrf"[^>]*/g, ''));
    // the owner of the confirmed address is told how to manage it; nothing changed for them
    expect(mailsTo('ada@example.org').at(-1)!.mail.subject).toBe('Your Lab papers digest');
  });

  it('delivers the digest with both parts, RFC 8058 headers and working links', async () => {
    const summary = await sendDigests(app.deps, period);
    expect(summary).toMatchObject({ sent: 1, failed: 0 });
    const digest = mailsTo('ada@example.org').find((m) => m.mail.subject?.startsWith('Top papers'))!;
    expect(digest.mail.subject).toBe('Top papers of Thursday, 26 November 2026 · Lab papers');
    expect(digest.mail.messageId).toBe(`<digest.daily.2026-11-26.1@paperboy.test>`);
    const raw = digest.raw.toString().replace(/\r\n[ \t]+/g, ' ');
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const listUnsubscribe = /^List-Unsubscribe: <([^>]+)>\r?$/m.exec(raw)![1]!;
    expect(listUnsubscribe).toMatch(/^http:\/\/paperboy\.test\/unsubscribe\/1\.0\./);
    expect(digest.mail.text).toBeTruthy();
    expect(digest.mail.html).toBeTruthy();
    // the topics: cs.CL by category, the robots paper by keyword; not the vision paper
    expect(digest.mail.text).toContain('1. Robots <b>that</b> learn');
    expect(digest.mail.text).toContain('2. Language models align');
    expect(digest.mail.text).not.toContain('Vision transformers');
    expect(digest.mail.html).toContain('Robots &lt;b&gt;that&lt;/b&gt; learn');
    expect(digest.mail.html).toContain('prefers-color-scheme: dark');
    const view = await app.request(linkIn(digest.mail.text, '/digest/'));
    expect(view.status).toBe(200);
    expect(await view.text()).toContain('Language models align');
    expect((await app.request(linkIn(digest.mail.text, '/subscription/'))).status).toBe(200);
    // one click from the mail client: a POST with the RFC 8058 body, no cookie, no CSRF token
    const oneClick = await app.request(listUnsubscribe.replace('http://paperboy.test', ''), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await row(store, sql`SELECT status FROM subscriptions WHERE email = 'ada@example.org'`)).toEqual({
      status: 'unsubscribed',
    });
  });

  it('sends once per subscriber and period, however often it runs', async () => {
    const before = peer.received.length;
    expect(await sendDigests(app.deps, period)).toMatchObject({ sent: 0, queued: 0 });
    expect(peer.received.length).toBe(before);
  });

  it('gives each subscriber one digest when two senders (two connections, as two workers) race on a period', async () => {
    const race = parseDigestPeriod('weekly:2026-W48')!;
    for (let i = 0; i < 40; i++) {
      await sql`INSERT INTO subscriptions (email, frequency, status, created_at) VALUES (${`racer${i}@example.org`}, 'weekly', 'confirmed', '2026-01-01')`.execute(
        store.db,
      );
    }
    const second = store.reopen();
    const other = { ...app.deps, store: second, mailer: createMailer(app.deps.config, silentLogger) };
    try {
      const [a, b] = await Promise.all([sendDigests(app.deps, race), sendDigests(other, race)]);
      expect(a.sent + b.sent).toBe(40);
      const received = peer.received.filter((m) => m.to.some((t) => t.startsWith('racer')));
      expect(received).toHaveLength(40);
      expect(new Set(received.flatMap((m) => m.to)).size).toBe(40);
    } finally {
      other.mailer.close();
      await second.close();
    }
  });

  it('retries temporary failures later and counts permanent ones, suspending after three', async () => {
    for (const email of ['temp@example.org', 'gone@example.org']) {
      await subscribe(email);
      const mail = mailsTo(email).at(-1)!;
      await app.request(linkIn(mail.mail.text, '/subscription/confirm/'));
    }
    refused.set('temp@example.org', 451);
    refused.set('gone@example.org', 550);
    let clock = Date.parse('2026-11-27T07:00:00Z');
    const now = () => new Date(clock);
    const first = await sendDigests(app.deps, parseDigestPeriod('daily:2026-11-26')!, { now });
    expect(first).toMatchObject({ retrying: 1, failed: 1 });
    refused.delete('temp@example.org');
    expect(await sendDigests(app.deps, period, { now })).toMatchObject({ sent: 0 });
    clock += 61_000;
    expect(await sendDigests(app.deps, period, { now })).toMatchObject({ sent: 1 });
    expect(mailsTo('temp@example.org').filter((m) => m.mail.subject?.startsWith('Top papers'))).toHaveLength(
      1,
    );
    for (const day of ['daily:2026-11-27', 'daily:2026-11-28']) {
      await seedFeatures(store, [{ day: day.slice(6), upvotes: 1 }]);
      await sendDigests(app.deps, parseDigestPeriod(day)!, { now });
    }
    expect(
      await row(store, sql`SELECT status, bounces FROM subscriptions WHERE email = 'gone@example.org'`),
    ).toEqual({
      status: 'suspended',
      bounces: 3,
    });
  });

  it('refuses hostile subscription input with 400 and never puts it in a header', async () => {
    const hostile: Record<string, string>[] = [
      { email: 'x@example.org\r\nBcc: all@example.org' },
      { email: 'not an address' },
      { email: 'ok@example.org', frequency: 'hourly' },
      { email: 'ok@example.org', count: '500' },
      { email: 'ok@example.org', keywords: 'a,'.repeat(600) },
    ];
    for (const fields of hostile) {
      const client = new TestClient(app);
      const res = await client.post('/subscribe', { frequency: 'daily', count: '10', ...fields });
      expect(res.status).toBe(400);
    }
    const keywords = await subscribe('kw@example.org', {
      keywords: 'robots\r\nBcc: evil@example.org, <script>',
    });
    expect(keywords.status).toBe(200);
    const stored = await row(
      store,
      sql<{ keywords: string }>`SELECT keywords FROM subscriptions WHERE email = 'kw@example.org'`,
    );
    expect(JSON.parse(stored!.keywords)).toEqual(['robots Bcc: evil@example.org', '<script>']);
    expect(peer.received.every((m) => m.to.every((t) => !t.includes('evil')))).toBe(true);
  });

  it('refuses forged, expired and misused links', async () => {
    for (const path of [
      '/subscription/confirm/1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '/subscription/1.0.nope',
      '/unsubscribe/999.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '/digest/daily:2026-11-26/1.0.x',
      '/digest/hourly:2026/1.0.x',
    ]) {
      const res = await app.request(path);
      expect([400, 404]).toContain(res.status);
    }
    expect((await app.request('/admin/digests?period=daily:2026-11-26')).status).toBe(303);
  });

  it('lets the admin preview any period', async () => {
    const admin = await new TestClient(app).signUp('digest-admin');
    const preview = await admin.request('/admin/digests?period=daily:2026-11-26');
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('Vision transformers');
    expect((await admin.request('/admin/digests?period=yesterday')).status).toBe(400);
    expect((await admin.request('/admin/digests?period=daily:2020-01-01')).status).toBe(404);
  });
});
