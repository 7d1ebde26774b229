import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures, seedPapers } from '../../test/helpers/factories.ts';
import {
  createStoreUnderTest as createTestStore,
  sql,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;
const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  store = await createTestStore();
  await seedFeatures(store, [
    { day: today, upvotes: 5, paper: { id: '2601.00001', title: 'Sparse mixture of experts & <routing>' } },
    { day: today, upvotes: 9, paper: { id: '2601.00002', title: 'Diffusion for robots' } },
    { day: yesterday, upvotes: 50, paper: { id: '2601.00003', title: 'Yesterday paper' } },
    { day: today, upvotes: 99, paper: { id: '2601.00004', title: 'A hidden paper about experts' } },
  ]);
  await seedPapers(store, [
    paperRecord({ id: 'hep-th/9901001', title: 'Old style experts', categories: ['hep-th'] }),
    paperRecord({ id: '2601.00010', title: 'Unfeatured experts in cs.LG', categories: ['cs.LG'] }),
  ]);
  await sql`UPDATE papers SET hidden_at = '2026-01-01' WHERE id = '2601.00004'`.execute(store.db);
  app = await createTestApp(store);
});
afterAll(() => store.dispose());

async function feed(path: string) {
  const res = await app.request(path);
  return { res, body: await res.text() };
}

describe('feeds over HTTP', () => {
  it('serves the daily list in RSS, Atom and JSON Feed, newest day first, hidden papers left out', async () => {
    const rss = await feed('/feeds/daily.rss');
    expect(rss.res.status).toBe(200);
    expect(rss.res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const parsed = parseFeed(rss.body);
    expect(parsed.items.map((i) => i.title)).toEqual([
      'Diffusion for robots',
      'Sparse mixture of experts & <routing>',
      'Yesterday paper',
    ]);
    expect(parsed.items[0]?.url).toBe('http://paperboy.test/papers/2601.00002');
    const atom = parseFeed((await feed('/feeds/daily.atom')).body);
    expect(atom.items).toHaveLength(3);
    const json = JSON.parse((await feed('/feeds/daily.json')).body);
    expect(json.items.map((i: { id: string }) => i.id)).toEqual(parsed.items.map((i) => i.id));
  });

  it('serves weekly, trending, new, a category, and a saved search', async () => {
    expect(parseFeed((await feed('/feeds/weekly.rss')).body).items.length).toBeGreaterThanOrEqual(2);
    expect(parseFeed((await feed('/feeds/trending.atom')).body).items[0]?.title).toBe('Diffusion for robots');
    const category = parseFeed((await feed('/feeds/new/hep-th.rss')).body);
    expect(category.items.map((i) => i.url)).toEqual(['http://paperboy.test/papers/hep-th/9901001']);
    const search = JSON.parse((await feed('/feeds/search.json?q=experts')).body);
    expect(search.feed_url).toBe('http://paperboy.test/feeds/search.json?q=experts');
    expect(search.items.map((i: { title: string }) => i.title).sort()).toEqual([
      'Old style experts',
      'Sparse mixture of experts & <routing>',
      'Unfeatured experts in cs.LG',
    ]);
  });

  it('answers hostile or unknown feed paths with 400 or 404, never 500', async () => {
    for (const [path, status] of [
      ['/feeds/daily.xml', 404],
      ['/feeds/nothing.rss', 404],
      ['/feeds/.rss', 404],
      ['/feeds/new/cs.CL%22%3E.rss', 400],
      ['/feeds/new/..%2F..%2Fetc.rss', 400],
      ['/feeds/search.rss', 400],
      ['/feeds/search.rss?q=%22%22%20-', 400],
      [`/feeds/search.rss?q=${'a'.repeat(300)}`, 400],
      ['/feeds/search.rss?q=NEAR(a%20b)%20OR%20*', 200],
      [`/feeds/${'x'.repeat(400)}.rss`, 404],
      ['/feeds/new/%E0%A4%A.rss', 400],
      ['/feeds/%.rss', 400],
      ['/feeds/topics/50%25.rss', 200],
    ] as const) {
      const res = await app.request(path);
      expect(res.status, path).toBe(status);
    }
  });

  it('lists the feeds on /feeds and puts discovery tags on list pages', async () => {
    expect((await app.request('/feeds')).status).toBe(200);
    const daily = await (await app.request('/papers')).text();
    expect(daily).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Daily Papers (RSS)" href="http://paperboy.test/feeds/daily.rss"/>',
    );
    expect(daily).toContain('type="application/atom+xml"');
    expect(daily).toContain('type="application/feed+json"');
    const week = await (await app.request(`/papers/week/2026-W02`)).text();
    expect(week).toContain('href="http://paperboy.test/feeds/weekly.rss"');
    expect(await (await app.request('/papers/trending')).text()).toContain('/feeds/trending.atom');
    expect(await (await app.request('/new?cat=cs.LG')).text()).toContain('/feeds/new/cs.LG.rss');
    expect(await (await app.request('/papers?q=experts')).text()).toContain('/feeds/search.rss?q=experts');
  });
});

describe('citations over HTTP', () => {
  it('serves BibTeX, RIS and CSL-JSON for a paper, old-style ids included', async () => {
    const bib = await app.request('/papers/2601.00001.bib');
    expect(bib.status).toBe(200);
    expect(bib.headers.get('content-type')).toBe('application/x-bibtex; charset=utf-8');
    const parsed = parseBibtex(await bib.text(), { sentenceCase: false });
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries[0]?.fields.title).toBe('Sparse mixture of experts & <routing>');
    const old = await app.request('/papers/hep-th/9901001.bib');
    expect(parseBibtex(await old.text()).entries[0]?.fields.eprint).toBe('hep-th/9901001');
    const ris = await (await app.request('/papers/hep-th/9901001.ris')).text();
    expect(ris).toContain('M1  - arXiv:hep-th/9901001');
    const csl = (await (await app.request('/papers/2601.00001.json')).json()) as { id: string }[];
    expect(csl[0]?.id).toBe('arXiv:2601.00001');
    // a versioned id goes to the canonical one
    const versioned = await app.request('/papers/2601.00001v3.bib');
    expect(versioned.status).toBe(301);
    expect(versioned.headers.get('location')).toBe('/papers/2601.00001.bib');
  });

  it('hides hidden and unknown papers (404) and offers a Cite button that works without JavaScript', async () => {
    expect((await app.request('/papers/2601.00004.bib')).status).toBe(404);
    expect((await app.request('/papers/2699.99999.ris')).status).toBe(404);
    expect((await app.request('/papers/2601.00001.exe')).status).toBe(404);
    const page = await (await app.request('/papers/2601.00001')).text();
    expect(page).toContain('<a href="/papers/2601.00001.bib" data-cite="bibtex"');
    expect(page).toMatch(/<script src="\/static\/cite\.[0-9a-f]{12}\.js" defer/);
    const script = /src="(\/static\/cite\.[0-9a-f]{12}\.js)"/.exec(page)![1]!;
    const js = await app.request(script);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('navigator.clipboard');
  });
});
