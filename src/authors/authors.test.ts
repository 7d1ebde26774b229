import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedPapers } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  createStoreUnderTest as createTestStore,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';
import { authorsTsquery } from './authors.postgres.ts';
import { authorsMatch } from './authors.sqlite.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;
let admin: TestClient;
let jane: TestClient;
let mallory: TestClient;

beforeAll(async () => {
  store = await createTestStore();
  await seedPapers(store, [
    paperRecord({
      id: '2601.00001',
      title: 'Jane one',
      authors: ['Jane Doe', 'Ada Lovelace'],
      publishedAt: '2026-01-01T00:00:00Z',
    }),
    paperRecord({
      id: '2601.00002',
      title: 'Jane two',
      authors: ['Doe, Jane', 'Alan Turing'],
      publishedAt: '2026-01-02T00:00:00Z',
    }),
    paperRecord({ id: '2601.00003', title: 'Initials with Ada', authors: ['J. Doe', 'Ada Lovelace'] }),
    paperRecord({ id: '2601.00004', title: 'Initials alone', authors: ['J. Doe', 'Someone Else'] }),
    paperRecord({ id: '2601.00005', title: 'Mary paper', authors: ['Mary Doe', 'Ada Lovelace'] }),
    paperRecord({ id: '2601.00006', title: 'Hidden Jane', authors: ['Jane Doe'] }),
    paperRecord({ id: '2601.00007', title: 'Müller paper', authors: ['Jürgen Müller'] }),
  ]);
  await sql`UPDATE papers SET hidden_at = '2026-01-01' WHERE id = '2601.00006'`.execute(store.db);
  app = await createTestApp(store);
  admin = await new TestClient(app).signUp('admin');
  jane = await new TestClient(app).signUp('jane');
  mallory = await new TestClient(app).signUp('mallory');
});
afterAll(() => store.dispose());

describe('author pages', () => {
  it('lists the papers of a name, spellings folded, initials merged only with a shared co-author', async () => {
    const res = await app.request('/authors/Jane%20Doe');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const title of ['Jane one', 'Jane two', 'Initials with Ada']) expect(html).toContain(title);
    for (const title of ['Initials alone', 'Mary paper', 'Hidden Jane']) expect(html).not.toContain(title);
    expect(html).toContain('3 papers');
    expect(html).toContain('listed as “J. Doe”');
    expect(html).toContain('href="/authors/Ada%20Lovelace">Ada Lovelace</a>');
    // "Doe, Jane" and accents lead to the same page
    expect(await (await app.request('/authors/Doe%2C%20Jane')).text()).toContain('Jane two');
    expect(await (await app.request('/authors/jurgen%20muller')).text()).toContain('Müller paper');
  });

  it("keeps the abbreviation's page to its own papers and a different person's apart", async () => {
    const initials = await (await app.request('/authors/J.%20Doe')).text();
    expect(initials).toContain('Initials alone');
    expect(initials).not.toContain('Jane one');
    expect(initials).toContain('Possibly the same person');
    const mary = await (await app.request('/authors/Mary%20Doe')).text();
    expect(mary).toContain('Mary paper');
    expect(mary).not.toContain('Initials with Ada');
  });

  it('answers unknown and hostile names with 404, never 500', async () => {
    for (const name of [
      'Nobody Here',
      '%22%29%20OR%20*',
      'x',
      'a'.repeat(300),
      'NEAR%28a%20b%29',
      '%E2%80%AE',
    ]) {
      expect((await app.request(`/authors/${name}`)).status, name).toBe(404);
    }
    // NUL is refused at the door, for every page (src/app/app.tsx)
    expect((await app.request('/authors/%00')).status).toBe(400);
    expect(authorsMatch('") OR authors : *')).toBeNull();
    expect(authorsTsquery('") OR authors : *')).toBeNull();
    expect(authorsTsquery("Ja!ne O'Doe")).toBe('(o <-> doe) & j:*');
    expect(authorsTsquery('Van der Berg, Anna')).toBe('(van <-> der <-> berg) & a:*');
    expect(authorsMatch('J"a*ne (Doe)')).toBe('authors : (("j"* + "doe") OR ("doe" + "j"*))');
  });
});

describe('authorship claims', () => {
  it('a member claims a name, a moderator approves, and badges appear on papers and comments', async () => {
    const page = await jane.page('/authors/Jane%20Doe');
    expect(page.html).toContain('Claim authorship');
    const claim = await jane.post('/authors/claim', { name: 'Jane Doe', evidence: 'https://jane.example' });
    expect(claim.status).toBe(200);
    expect(await claim.text()).toContain('a moderator will look at it');
    // a second claim by someone else waits too; the moderator sees both
    expect((await mallory.post('/authors/claim', { name: 'Jane Doe', evidence: 'trust me' })).status).toBe(
      200,
    );
    const queue = await admin.page('/moderation/claims');
    expect(queue.html).toContain('https://jane.example');
    const ids = [...queue.html.matchAll(/action="\/moderation\/claims\/(\d+)\/approve"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    // members cannot decide
    expect((await jane.post(`/moderation/claims/${ids[0]}/approve`, {})).status).toBe(403);
    expect(
      (await admin.post(`/moderation/claims/${ids[0]}/approve`, { reason: 'homepage checks out' })).status,
    ).toBe(303);
    // the name is held now: the rival claim cannot be approved
    expect((await admin.post(`/moderation/claims/${ids[1]}/approve`, {})).status).toBe(409);
    expect((await admin.post(`/moderation/claims/${ids[1]}/reject`, { reason: 'no evidence' })).status).toBe(
      303,
    );
    expect((await admin.post(`/moderation/claims/${ids[1]}/reject`, {})).status).toBe(404);
    // the log has both decisions
    const log = await (await app.request('/moderation')).text();
    expect(log).toContain('approve-claim');
    expect(log).toContain('author “Jane Doe”: homepage checks out');
    expect(log).toContain('reject-claim');
    // badges: on the author page, on the paper page, and on the author's comments there
    expect(await (await app.request('/authors/Jane%20Doe')).text()).toContain('✓ jane');
    await jane.page('/papers/2601.00001');
    expect((await jane.post('/papers/2601.00001/comments', { body: 'I wrote this.' })).status).toBe(303);
    const paper = await (await app.request('/papers/2601.00001')).text();
    expect(paper).toContain('<a class="badge author" href="/u/jane"');
    expect(paper).toContain('<span class="badge author">author</span>');
    // and in the HF-compatible API: the author carries the member, the item says an author takes part
    const flat = (await (await app.request('/api/papers/2601.00001')).json()) as {
      authors: { name: string; user?: { user: string; fullname: string } }[];
    };
    expect(flat.authors.map((a) => [a.name, a.user?.user ?? null, a.user?.fullname ?? null])).toEqual([
      ['Jane Doe', 'jane', 'Jane Doe'],
      ['Ada Lovelace', null, null],
    ]);
    const found = (await (await app.request('/api/papers/search?q=Doe')).json()) as {
      paper: { id: string; authors: { user?: { user: string } }[] };
      isAuthorParticipating: boolean;
    }[];
    const byId = new Map(found.map((item) => [item.paper.id, item]));
    expect(byId.get('2601.00001')?.isAuthorParticipating).toBe(true);
    expect(byId.get('2601.00001')?.paper.authors[0]?.user?.user).toBe('jane');
    expect(byId.get('2601.00005')?.isAuthorParticipating).toBe(false);
    // a claim for a held name is refused
    const again = await mallory.post('/authors/claim', { name: 'Doe, Jane' });
    expect(again.status).toBe(409);
  });

  it('refuses hostile or baseless claims with 400/404', async () => {
    expect((await mallory.post('/authors/claim', { name: '' })).status).toBe(400);
    expect((await mallory.post('/authors/claim', { name: 'x'.repeat(101) })).status).toBe(400);
    expect((await mallory.post('/authors/claim', { name: 'Nobody Atall' })).status).toBe(404);
    expect(
      (await mallory.post('/authors/claim', { name: 'Ada Lovelace', evidence: 'e'.repeat(1001) })).status,
    ).toBe(400);
    expect((await admin.post('/moderation/claims/abc/approve', {})).status).toBe(404);
    expect((await admin.post('/moderation/claims/1/delete', {})).status).toBe(404);
    expect((await new TestClient(app).post('/authors/claim', { name: 'Ada Lovelace' })).status).toBe(303);
  });
});
