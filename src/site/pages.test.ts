import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { seedFeatures } from '../../test/helpers/factories.ts';
import {
  createStoreUnderTest as createTestStore,
  type StoreUnderTest as TestStore,
} from '../../test/helpers/store-under-test.ts';

let store: TestStore;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createTestStore();
  app = await createTestApp(store);
});
afterAll(async () => {
  await store.dispose();
});

async function page(path: string) {
  const res = await app.request(path);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** The titles of the cards in page order. */
function cardTitles(html: string): string[] {
  return [...html.matchAll(/<h3><a href="[^"]+">([^<]+)<\/a><\/h3>/g)].map((m) => m[1]!);
}

describe('pages', () => {
  it('an empty instance explains how to get papers in', async () => {
    const { status, html } = await page('/');
    expect(status).toBe(200);
    expect(html).toContain('No papers here yet');
    expect(html).toContain('paperboy import');
  });

  it('shows the latest day with features, by upvotes, the top three marked', async () => {
    await seedFeatures(store, [
      { day: '2025-02-10', upvotes: 1, paper: { title: 'Earlier day' } },
      { day: '2025-02-12', upvotes: 3, paper: { title: 'Third' } },
      { day: '2025-02-12', upvotes: 30, paper: { title: 'First' } },
      { day: '2025-02-12', upvotes: 10, paper: { title: 'Second' } },
      { day: '2025-02-12', upvotes: 1, paper: { title: 'Fourth' } },
    ]);
    for (const path of ['/', '/papers', '/papers/date/2025-02-12']) {
      const { status, html } = await page(path);
      expect(status).toBe(200);
      expect(cardTitles(html)).toEqual(['First', 'Second', 'Third', 'Fourth']);
      expect(html.match(/class="rank rank-\d"/g)).toEqual([
        'class="rank rank-1"',
        'class="rank rank-2"',
        'class="rank rank-3"',
      ]);
      expect(html).toContain('<link rel="canonical" href="http://paperboy.test/papers/date/2025-02-12"/>');
      expect(html).toContain(
        '<meta property="og:title" content="Daily Papers: Wednesday, 12 February 2025"/>',
      );
      expect(html).toContain('href="/papers/date/2025-02-10" rel="prev"');
    }
  });

  it('moves between days, weeks and months', async () => {
    const week = await page('/papers/week/2025-W07');
    expect(cardTitles(week.html)).toEqual(['First', 'Second', 'Third', 'Earlier day', 'Fourth']);
    expect(week.html).toContain('Week 7 of 2025');
    const month = await page('/papers/month/2025-02');
    expect(month.status).toBe(200);
    expect(cardTitles(month.html)).toHaveLength(5);
    const emptyDay = await page('/papers/date/2025-02-11');
    expect(emptyDay.status).toBe(200);
    expect(emptyDay.html).toContain('No papers were featured on this day');
    expect(emptyDay.html).toContain('href="/papers/date/2025-02-12" rel="next"');
  });

  it('answers 400 pages for impossible periods and 404 for unknown papers and paths', async () => {
    for (const path of ['/papers/date/2025-13-40', '/papers/week/2025-W60', '/papers/month/2025-00']) {
      const { status, html } = await page(path);
      expect(status).toBe(400);
      expect(html).toContain('is not a');
    }
    const unknown = await page('/papers/2401.99999');
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('https://arxiv.org/abs/2401.99999');
    expect((await page('/nowhere')).status).toBe(404);
  });

  it('escapes what papers contain', async () => {
    const [paper] = await seedFeatures(store, [
      {
        day: '2025-02-13',
        upvotes: 1,
        paper: { title: '<script>alert(1)</script>', authors: ['"><img src=x onerror=alert(2)>'] },
      },
    ]);
    const { html } = await page(`/papers/${paper!.id}`);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<img src=x');
  });

  it("shows an abstract's LaTeX as typeset on pages, and as written in the API", async () => {
    const abstract = 'Gains of 39.3\\% with \\emph{Kullback--Leibler} on $x_1$; a \\textbf{<b>bold</b>} try.';
    const [paper] = await seedFeatures(store, [
      {
        day: '2025-02-14',
        upvotes: 1,
        paper: { title: 'Fast Kullback--Leibler \\textsc{Bounds}', abstract },
      },
    ]);
    const { html } = await page(`/papers/${paper!.id}`);
    expect(html).toContain('<h1>Fast Kullback–Leibler Bounds</h1>');
    const shown = /<p class="abstract">(.*?)<\/p>/s.exec(html)![1]!;
    expect(shown).toMatch(
      /^Gains of 39\.3% with Kullback–Leibler on <span class="katex">.*<\/span>; a &lt;b&gt;bold&lt;\/b&gt; try\.$/s,
    );
    expect(shown).toContain('<annotation encoding="application/x-tex">x_1</annotation>');
    expect(html).toContain(
      '<meta name="description" content="Gains of 39.3% with Kullback–Leibler on $x_1$;',
    );
    expect(html).not.toContain('\\%');
    const day = await page('/papers/date/2025-02-14');
    expect(cardTitles(day.html)).toEqual(['Fast Kullback–Leibler Bounds']);
    expect(day.html).toContain('Gains of 39.3% with Kullback–Leibler');
    const api = (await (await app.request(`/api/papers/${paper!.id}`)).json()) as {
      summary: string;
      title: string;
    };
    expect(api.summary).toBe(abstract);
    // feed readers show text as pages do
    const feed = (await (await app.request('/feeds/search.json?q=kullback')).json()) as {
      items: { title: string; content_text?: string; summary?: string }[];
    };
    const item = feed.items.find((i) => i.title.startsWith('Fast Kullback'));
    expect(item?.title).toBe('Fast Kullback–Leibler Bounds');
    expect(JSON.stringify(item)).toContain('Gains of 39.3% with Kullback–Leibler');
    expect(api.title).toBe('Fast Kullback--Leibler \\textsc{Bounds}');
  });

  it("serves KaTeX's stylesheet within ours and its fonts, and nothing else from its package", async () => {
    const home = await page('/');
    const stylesheet = /href="(\/static\/style\.[0-9a-f]{12}\.css)"/.exec(home.html)![1]!;
    const css = await (await app.request(stylesheet)).text();
    expect(css).toContain('.katex{');
    expect(css).toContain('url(fonts/KaTeX_Main-Regular.woff2)');
    const font = await app.request('/static/fonts/KaTeX_Main-Regular.woff2');
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect((await font.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    for (const path of [
      '/static/fonts/KaTeX_Nope.woff2',
      '/static/fonts/..%2F..%2Fpackage.json',
      '/static/fonts/%2e%2e%2fkatex.min.css',
      '/static/fonts/',
    ])
      expect((await app.request(path)).status).toBe(404);
  });

  it('refuses NUL characters in paths and queries with 400', async () => {
    for (const path of ['/u/%00admin', '/papers?q=%00', '/new?cat=%00', '/api/daily_papers?submitter=%00']) {
      expect((await app.request(path)).status).toBe(400);
    }
  });

  it('serves security headers and the stylesheet with a long cache', async () => {
    const { headers, html } = await page('/');
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('content-security-policy')).toContain("script-src 'self';");
    const css = /href="(\/static\/style\.[0-9a-f]+\.css)"/.exec(html)![1]!;
    const res = await app.request(css);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(await res.text()).toContain('prefers-color-scheme: dark');
  });

  it('lists new papers by category', async () => {
    const all = await page('/new');
    expect(all.status).toBe(200);
    expect(cardTitles(all.html).length).toBeGreaterThan(0);
    const cl = await page('/new?cat=cs.CL');
    expect(cardTitles(cl.html)).toEqual(cardTitles(all.html));
    const none = await page('/new?cat=math.AG');
    expect(none.html).toContain('No papers in math.AG yet');
    expect((await page('/new?cat=%3Cscript%3E')).status).toBe(400);
  });
});
