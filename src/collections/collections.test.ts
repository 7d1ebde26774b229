import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedPapers } from '../../test/helpers/factories.ts';
import { TestClient } from '../../test/helpers/session.ts';
import {
  createStoreUnderTest as createTestStore,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;
let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  store = await createTestStore();
  await seedPapers(store, [
    paperRecord({ id: '2601.00001', title: 'First paper' }),
    paperRecord({ id: '2601.00002', title: 'Second paper' }),
    paperRecord({ id: 'hep-th/9901001', title: 'Old paper' }),
    paperRecord({ id: '2601.00009', title: 'Hidden paper' }),
  ]);
  app = await createTestApp(store);
  alice = await new TestClient(app).signUp('alice');
  bob = await new TestClient(app).signUp('bob');
});
afterAll(() => store.dispose());

const idFrom = (res: Response) =>
  Number(/\/collections\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);

describe('collections', () => {
  let privateId: number;
  let publicId: number;

  it('a member makes a private collection and saves papers into it from a card, new collection included', async () => {
    const made = await alice.post('/collections', {
      name: '  Reading   list ',
      description: 'To read',
      visibility: 'private',
    });
    expect(made.status).toBe(303);
    privateId = idFrom(made);
    expect(privateId).toBeGreaterThan(0);
    // the card's Save menu lists it
    const list = await alice.page('/new');
    expect(list.html).toContain('action="/collections/save"');
    expect(list.html).toContain('Reading list');
    for (const paper of ['2601.00001', '2601.00002', 'hep-th/9901001']) {
      const res = await alice.post('/collections/save', {
        paper_id: paper,
        collection_id: String(privateId),
        action: 'add',
        next: '/new',
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/new');
    }
    // htmx: answered in place; saving twice changes nothing
    const again = await alice.post(
      '/collections/save',
      { paper_id: '2601.00001', collection_id: String(privateId), action: 'add' },
      { 'hx-request': 'true' },
    );
    expect(await again.text()).toContain('Saved to <a href="/collections/');
    // a new public collection straight from the card
    const fresh = await alice.post('/collections/save', {
      paper_id: '2601.00002',
      collection_id: 'new',
      new_name: 'Shared picks',
      action: 'add',
      next: '/new',
    });
    expect(fresh.status).toBe(303);
    const page = await alice.page(`/collections/${privateId}`);
    expect(page.html.indexOf('First paper')).toBeLessThan(page.html.indexOf('Second paper'));
    expect(page.html.indexOf('Second paper')).toBeLessThan(page.html.indexOf('Old paper'));
    const mine = await alice.page('/collections');
    const m = /href="\/collections\/(\d+)">Shared picks</.exec(mine.html);
    publicId = Number(m?.[1]);
    expect(publicId).toBeGreaterThan(privateId);
    expect(
      (await alice.post(`/collections/${publicId}/edit`, { name: 'Shared picks', visibility: 'public' }))
        .status,
    ).toBe(303);
  });

  it('reorders and removes papers', async () => {
    expect(
      (await alice.post(`/collections/${privateId}/move`, { paper_id: 'hep-th/9901001', direction: 'top' }))
        .status,
    ).toBe(303);
    expect(
      (await alice.post(`/collections/${privateId}/move`, { paper_id: '2601.00001', direction: 'down' }))
        .status,
    ).toBe(303);
    let page = (await alice.page(`/collections/${privateId}`)).html;
    const order = ['Old paper', 'Second paper', 'First paper'].map((t) => page.indexOf(t));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect((await alice.post(`/collections/${privateId}/remove`, { paper_id: '2601.00002' })).status).toBe(
      303,
    );
    page = (await alice.page(`/collections/${privateId}`)).html;
    expect(page).not.toContain('Second paper');
    // remove from a card
    const res = await alice.post('/collections/save', {
      paper_id: 'hep-th/9901001',
      collection_id: String(privateId),
      action: 'remove',
      next: '/new',
    });
    expect(res.status).toBe(303);
    expect((await alice.page(`/collections/${privateId}`)).html).not.toContain('Old paper');
  });

  it('keeps a private collection to its owner: 404 for others and for anonymous readers, everywhere', async () => {
    for (const path of [
      `/collections/${privateId}`,
      `/collections/${privateId}.bib`,
      `/feeds/collections/${privateId}.rss`,
    ]) {
      expect((await bob.request(path)).status, path).toBe(404);
      expect((await app.request(path)).status, path).toBe(404);
    }
    expect((await bob.page('/u/alice')).html).not.toContain('Reading list');
    expect((await alice.page('/u/alice')).html).toContain('Reading list');
    // nor can anyone else change it: the same 404
    const csrf = bob.csrf;
    expect(csrf).not.toBe('');
    expect((await bob.post(`/collections/${privateId}/edit`, { name: 'mine now' })).status).toBe(404);
    expect((await bob.post(`/collections/${privateId}/delete`, {})).status).toBe(404);
    expect(
      (
        await bob.post('/collections/save', {
          paper_id: '2601.00001',
          collection_id: String(privateId),
          action: 'add',
        })
      ).status,
    ).toBe(404);
  });

  it('shares a public collection: page, feed and citations for anyone; hidden papers never shown', async () => {
    expect(
      (
        await alice.post('/collections/save', {
          paper_id: '2601.00009',
          collection_id: String(publicId),
          action: 'add',
        })
      ).status,
    ).toBe(303);
    await sql`UPDATE papers SET hidden_at = '2026-01-01' WHERE id = '2601.00009'`.execute(store.db);
    const page = await (await app.request(`/collections/${publicId}`)).text();
    expect(page).toContain('Shared picks');
    expect(page).toContain('Second paper');
    expect(page).not.toContain('Hidden paper');
    expect(page).toContain(`href="http://paperboy.test/feeds/collections/${publicId}.rss"`);
    const feed = parseFeed(await (await app.request(`/feeds/collections/${publicId}.atom`)).text());
    expect(feed.items.map((i) => i.title)).toEqual(['Second paper']);
    const bib = parseBibtex(await (await app.request(`/collections/${publicId}.bib`)).text());
    expect(bib.errors).toEqual([]);
    expect(bib.entries.map((e) => e.fields.eprint)).toEqual(['2601.00002']);
    const csl = (await (await app.request(`/collections/${publicId}.json`)).json()) as unknown[];
    expect(csl).toHaveLength(1);
    expect(await (await app.request(`/collections/${publicId}.ris`)).text()).toContain(
      'M1  - arXiv:2601.00002',
    );
    expect(await (await app.request('/collections')).text()).toContain('Shared picks');
  });

  it('answers hostile input with 400 or 404 and a message, never 500', async () => {
    const cases: [string, Record<string, string>, number][] = [
      ['/collections', { name: '' }, 400],
      ['/collections', { name: 'x'.repeat(101) }, 400],
      ['/collections', { name: 'ok', visibility: 'everyone' }, 400],
      ['/collections', { name: 'ok', description: 'd'.repeat(1001) }, 400],
      ['/collections/save', { paper_id: 'not an id', collection_id: String(publicId) }, 400],
      ['/collections/save', { paper_id: '2601.00001', collection_id: '99999999' }, 404],
      ['/collections/save', { paper_id: '2601.00001', collection_id: '-1' }, 404],
      ['/collections/save', { paper_id: '2612.99999', collection_id: String(publicId) }, 404],
      ['/collections/save', { paper_id: '2601.00009', collection_id: String(publicId) }, 404],
      ['/collections/save', { paper_id: '2601.00001', collection_id: 'new', new_name: 'y'.repeat(200) }, 400],
      ['/collections/save', { paper_id: '2601.00001', collection_id: 'new', action: 'remove' }, 400],
      [`/collections/${publicId}/move`, { paper_id: '2601.00002', direction: 'sideways' }, 400],
      [`/collections/${publicId}/move`, { paper_id: '2601.00001', direction: 'up' }, 404],
      [`/collections/${publicId}/remove`, { paper_id: '../../etc' }, 400],
      ['/collections/1e3/edit', { name: 'x' }, 404],
      ['/collections/0/delete', {}, 404],
    ];
    for (const [path, fields, status] of cases) {
      const res = await alice.post(path, fields);
      expect(res.status, `${path} ${JSON.stringify(fields).slice(0, 80)}`).toBe(status);
      expect((await res.text()).length).toBeGreaterThan(0);
    }
    for (const path of [
      '/collections/abc',
      '/collections/99999999999999999999',
      '/collections/1.exe',
      '/feeds/collections/x.rss',
    ]) {
      expect((await app.request(path)).status, path).toBe(404);
    }
  });

  it('refuses changes without the CSRF token or a login', async () => {
    const noToken = new TestClient(app);
    noToken.cookie = alice.cookie;
    expect((await noToken.post('/collections', { name: 'sneaky' })).status).toBe(403);
    const anonymous = new TestClient(app);
    const res = await anonymous.post('/collections', { name: 'anon' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/login/);
  });

  it('deletes a collection', async () => {
    expect((await alice.post(`/collections/${privateId}/delete`, {})).status).toBe(303);
    expect((await alice.request(`/collections/${privateId}`)).status).toBe(404);
  });
});
