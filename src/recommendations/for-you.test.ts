import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures, seedPapers } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import { createStoreUnderTest, type StoreUnderTest, sql } from '../../test/helpers/store-under-test.ts';
import { parseDigestPeriod } from '../digests/digest-period.ts';
import { sendDigests } from '../digests/send.ts';
import { confirmSubscription, findSubscriptionByUser } from '../digests/subscriptions.store.ts';
import type { MailMessage } from '../mail/mailer.ts';
import { findUserByUsername } from '../users/users.store.ts';

let store: StoreUnderTest;
let app: Awaited<ReturnType<typeof createTestApp>>;
const sent: MailMessage[] = [];
const robot = (n: number) =>
  paperRecord({
    id: `2601.${String(n).padStart(5, '0')}`,
    title: `Robot grasping and manipulation ${n}`,
    abstract: `A robot arm learns dexterous grasping and manipulation of objects, trial ${n}.`,
  });
const speech = (n: number) =>
  paperRecord({
    id: `2602.${String(n).padStart(5, '0')}`,
    title: `Speech recognition ${n}`,
    abstract: `Automatic speech recognition of accented audio with transformers, setting ${n}.`,
  });

beforeAll(async () => {
  store = await createStoreUnderTest();
  await seedPapers(store, [
    ...Array.from({ length: 12 }, (_, i) => robot(i + 1)),
    ...Array.from({ length: 12 }, (_, i) => speech(i + 1)),
  ]);
  await seedFeatures(store, [
    { day: '2026-11-26', upvotes: 5, paper: { id: '2611.00001', title: 'Featured today' } },
  ]);
  await sql`UPDATE papers SET hidden_at = '2026-01-01' WHERE id = '2601.00012'`.execute(store.db);
  app = await createTestApp(
    store,
    { FOR_YOU_CANDIDATES: '1000', FOR_YOU_NEGATIVES: '100', FOR_YOU_RESULTS: '5' },
    {
      mailer: {
        send: async (m) => {
          sent.push(m);
          return { messageId: m.messageId ?? 'id' };
        },
        close() {},
      },
    },
  );
});
afterAll(() => store.dispose());

describe('the for-you page', () => {
  it('asks anonymous readers to log in, and shows an empty state before any upvote', async () => {
    const res = await app.request('/for-you');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Ffor-you');
    const member = await new TestClient(app).signUp('newbie');
    expect((await member.page('/for-you')).html).toContain('No recommendations yet');
  });

  it('recommends papers like the upvoted ones, with the reason, never hidden ones, and updates on demand', async () => {
    const member = await new TestClient(app).signUp('roboticist');
    for (const n of [1, 2, 3]) {
      await member.page('/new');
      expect((await member.post(`/papers/2601.0000${n}/upvote`, { next: '/new' })).status).toBe(303);
    }
    expect((await member.post('/for-you/refresh', {})).status).toBe(303);
    const { html } = await member.page('/for-you');
    const titles = [...html.matchAll(/<h3><a href="\/papers\/[^"]+">([^<]+)<\/a><\/h3>/g)].map((m) => m[1]!);
    expect(titles).toHaveLength(5);
    for (const t of titles) expect(t).toMatch(/^Robot grasping and manipulation/);
    expect(titles).not.toContain('Robot grasping and manipulation 12');
    expect(titles.some((t) => /manipulation [123]$/.test(t))).toBe(false);
    expect(html).toMatch(
      /Because you upvoted <a href="\/papers\/2601\.0000[123]">Robot grasping and manipulation [123]<\/a>/,
    );
    expect(html).toContain('trained on 3 papers');
  });

  it('adds the recommendations to the digest of a member who opts in', async () => {
    const member = new TestClient(app);
    member.cookie = '';
    await member.signUp('digestreader');
    await member.page('/new');
    await member.post('/papers/2602.00001/upvote', { next: '/new' });
    await member.post('/papers/2602.00002/upvote', { next: '/new' });
    await member.post('/for-you/refresh', {});
    // no subscription yet: the opt-in says so
    expect((await member.page('/for-you')).html).toContain('Subscribe to the digest');
    expect((await member.post('/for-you/digest', { for_you: '1' })).status).toBe(404);
    await member.page('/subscribe');
    expect(
      (
        await member.post('/subscribe', {
          email: 'digestreader@example.org',
          frequency: 'daily',
          count: '10',
        })
      ).status,
    ).toBeLessThan(400);
    const user = await findUserByUsername(store.db, 'digestreader');
    const sub = await findSubscriptionByUser(store.db, user!.id);
    await confirmSubscription(store.db, sub!.id);
    expect((await member.post('/for-you/digest', { for_you: 'yes' })).status).toBe(400);
    expect((await member.post('/for-you/digest', { for_you: '1' })).status).toBe(303);
    expect((await member.page('/for-you')).html).toMatch(/name="for_you" value="1" checked/);
    await sendDigests(app.deps, parseDigestPeriod('daily:2026-11-26')!);
    const mail = sent.find((m) => m.to === 'digestreader@example.org' && m.messageId?.startsWith('<digest.'));
    expect(mail?.text).toContain('For you');
    expect(mail?.text).toMatch(/Speech recognition \d+\n {2}Because you upvoted “Speech recognition [12]”/);
    expect(mail?.html).toContain('For you');
    // and out again
    expect((await member.post('/for-you/digest', {})).status).toBe(303);
    expect((await member.page('/for-you')).html).not.toMatch(/name="for_you" value="1" checked/);
  });
});
