import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import { readableText } from '../../src/papers/readable-text.ts';
import { SHARED_DATA } from '../helpers/shared-data.ts';
import { ARXIV_SAMPLE, HF_SAMPLE } from './global-setup.ts';

/**
 * What a reader does on the daily lists, in a real browser against `paperboy serve` on the shared data
 * (see global-setup.ts). Expectations come from the data files and the JSON API, never from the page itself.
 */

const skipReason = process.env.PAPERBOY_E2E_SKIP;
test.skip(skipReason !== undefined, `!!! SKIPPED: ${skipReason}`);

// ---------------------------------------------------------------------------------------------------------
// The data, read straight from the files that were imported

interface HfRecord {
  date: string;
  id: string;
  title: string;
}

interface ArxivRecord {
  id: string;
  title: string;
  categories: string;
}

function readJsonLines<T>(relative: string): T[] {
  return readFileSync(join(SHARED_DATA, relative), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

const data = skipReason === undefined ? loadData() : null;

function loadData() {
  const hf = readJsonLines<HfRecord>(HF_SAMPLE);
  const arxiv = readJsonLines<ArxivRecord>(ARXIV_SAMPLE);
  const days = [...new Set(hf.map((r) => r.date))].sort();
  const hfIds = new Set(hf.map((r) => r.id));
  return {
    hf,
    days,
    latest: days.at(-1)!,
    arxivById: new Map(arxiv.map((r) => [r.id, r])),
    // a paper that only the arXiv import brought in, with more than one category
    arxivOnly: arxiv.find((r) => !hfIds.has(r.id) && r.categories.trim().split(/\s+/).length > 1)!,
  };
}

function theData() {
  if (!data) throw new Error('no data');
  return data;
}

/** The nearest featured day before `day` in the data file. */
function dayBefore(day: string): string | undefined {
  return theData()
    .days.filter((d) => d < day)
    .at(-1);
}

// ---------------------------------------------------------------------------------------------------------
// Calendar arithmetic, written independently of src/features/periods.ts

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function utc(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** "Friday, 21 August 2026" (comma optional: ICU versions differ). */
function dayHeading(day: string): RegExp {
  const d = utc(day);
  return new RegExp(
    `^${WEEKDAYS[d.getUTCDay()]},? ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}$`,
  );
}

/** The ISO 8601 week of a day: its key (2026-W34), Monday and Sunday. */
function isoWeek(day: string): { key: string; monday: string; sunday: string } {
  const d = utc(day);
  const mondayIndex = (d.getUTCDay() + 6) % 7;
  const monday = d.getTime() - mondayIndex * DAY_MS;
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return {
    key: `${year}-W${String(week).padStart(2, '0')}`,
    monday: new Date(monday).toISOString().slice(0, 10),
    sunday: new Date(monday + 6 * DAY_MS).toISOString().slice(0, 10),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The API and the page

interface DailyItem {
  title: string;
  summary: string;
  paper: { id: string; title: string; summary: string; upvotes: number; submittedOnDailyAt: string | null };
}

async function dailyApi(request: APIRequestContext, query: string): Promise<DailyItem[]> {
  const res = await request.get(`/api/daily_papers?${query}`);
  expect(res.status(), `/api/daily_papers?${query}`).toBe(200);
  return (await res.json()) as DailyItem[];
}

interface Card {
  id: string;
  title: string;
  upvotes: number;
  rank: string | null;
  featuredDay: string | null;
}

function cardsOf(page: Page): Locator {
  return page.locator('ol.cards > li.card');
}

/** The few DOM members the page functions below use (the project compiles without the DOM library). */
interface DomElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): DomElement[];
  cloneNode(deep: boolean): DomElement;
  replaceWith(text: string): void;
}

/** Every card on the page, as a reader sees it, read in one go. */
async function readCards(page: Page): Promise<Card[]> {
  const raw = await cardsOf(page).evaluateAll((elements) =>
    (elements as unknown as DomElement[]).map((card) => ({
      href: card.querySelector('h3 a')?.getAttribute('href') ?? '',
      // typeset math read back as the TeX it was made from (KaTeX keeps it in an annotation), in its dollars
      title: (() => {
        const link = card.querySelector('h3 a')?.cloneNode(true);
        for (const math of link?.querySelectorAll('.katex') ?? [])
          math.replaceWith(`$${math.querySelector('annotation')?.textContent ?? ''}$`);
        return link?.textContent ?? '';
      })(),
      upvotes: card.querySelector('.votes .count')?.textContent ?? '',
      rank: card.querySelector('.rank')?.textContent ?? null,
      featuredDay: card.querySelector('.meta time')?.getAttribute('datetime') ?? null,
    })),
  );
  return raw.map((c) => ({
    id: c.href.replace(/^\/papers\//, ''),
    title: squash(c.title),
    upvotes: /^\d+$/.test(c.upvotes.trim()) ? Number(c.upvotes) : Number.NaN,
    rank: c.rank === null ? null : c.rank.trim(),
    featuredDay: c.featuredDay,
  }));
}

/** Whitespace as a reader sees it: runs collapsed to one space, none at the ends. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The list on the page is the API's list for the same period, in the same order, ranked by upvotes. */
async function expectListMatchesApi(page: Page, query: string): Promise<Card[]> {
  const cards = await readCards(page);
  const expected = await dailyApi(page.request, `${query}&limit=50`);
  expect(expected.length, `the API has papers for ${query}`).toBeGreaterThan(0);
  expect(cards.map((c) => c.id)).toEqual(expected.map((e) => e.paper.id));
  expect(cards.map((c) => c.upvotes)).toEqual(expected.map((e) => e.paper.upvotes));
  // as typeset: the page shows arXiv's LaTeX prose rewritten (40\\% → 40%, -- → –), the API as written (D53)
  expect(cards.map((c) => c.title)).toEqual(expected.map((e) => squash(readableText(e.paper.title))));
  for (let i = 1; i < cards.length; i++) {
    expect(
      cards[i - 1]!.upvotes,
      `card ${i} has at least the upvotes of card ${i + 1}`,
    ).toBeGreaterThanOrEqual(cards[i]!.upvotes);
  }
  return cards;
}

function rgb(color: string): [number, number, number] {
  const m = /^rgba?\((\d+), (\d+), (\d+)/.exec(color);
  if (!m) throw new Error(`not an rgb() color: ${color}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
function luminance(color: string): number {
  const [r, g, b] = rgb(color).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

type BrowserWindow = { getComputedStyle(el: unknown): { backgroundColor: string } };
type BrowserDocument = { scrollingElement: { scrollWidth: number } | null };

async function bodyBackground(page: Page): Promise<string> {
  return await page
    .locator('body')
    .evaluate((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).backgroundColor);
}

async function scrollWidth(page: Page): Promise<number> {
  return await page.evaluate(
    () =>
      (globalThis as unknown as { document: BrowserDocument }).document.scrollingElement?.scrollWidth ??
      Number.POSITIVE_INFINITY,
  );
}

// ---------------------------------------------------------------------------------------------------------

test.describe('the daily lists', () => {
  test("the home page shows the latest day's papers, most upvoted first", async ({ page }) => {
    const { latest, hf } = theData();
    await page.goto('/');

    await expect(page.locator('main h1')).toHaveText(dayHeading(latest));
    await expect(page).toHaveTitle(/^Daily Papers: .+ · /);
    expect(await page.title()).toContain(squash((await page.locator('main h1').textContent()) ?? ''));
    await expect(page.locator('nav.tabs a[aria-current="page"]')).toHaveText('Day');
    await expect(page.locator('nav.tabs a[aria-current="page"]')).toHaveAttribute(
      'href',
      `/papers/date/${latest}`,
    );

    const cards = await expectListMatchesApi(page, `date=${latest}`);
    // the same papers as the data file lists for that day
    const fileIds = new Set(hf.filter((r) => r.date === latest).map((r) => r.id));
    expect(new Set(cards.map((c) => c.id))).toEqual(fileIds);
    expect(cards.every((c) => c.featuredDay === latest)).toBe(true);
    // badges on the top three only
    expect(cards.length).toBeGreaterThan(3);
    expect(cards.map((c) => c.rank)).toEqual(cards.map((_, i) => (i < 3 ? String(i + 1) : null)));
    await expect(page.locator('ol.cards .rank')).toHaveCount(3);
    await expect(page.locator('main .period-head p').first()).toContainText(`${cards.length} papers`);

    await page.screenshot({ path: 'test-results/home.png', fullPage: true });
  });

  test('"← previous day" leads to the day before that has papers, and "next" back', async ({ page }) => {
    const { latest } = theData();
    const previous = dayBefore(latest)!;
    await page.goto('/');

    await page.locator('nav.pager a[rel="prev"]').click();
    await expect(page).toHaveURL(new RegExp(`/papers/date/${previous}$`));
    await expect(page.locator('main h1')).toHaveText(dayHeading(previous));
    const cards = await expectListMatchesApi(page, `date=${previous}`);
    expect(cards.every((c) => c.featuredDay === previous)).toBe(true);
    await expect(page.locator('nav.pager a[rel="prev"]')).toHaveAttribute(
      'href',
      `/papers/date/${dayBefore(previous)}`,
    );

    await page.locator('nav.pager a[rel="next"]').click();
    await expect(page).toHaveURL(new RegExp(`/papers/date/${latest}$`));
    await expect(page.locator('main h1')).toHaveText(dayHeading(latest));
    // the latest day has no next day
    await expect(page.locator('nav.pager a[rel="next"]')).toHaveCount(0);
  });

  test('the Week tab lists the week, and previous/next step through weeks', async ({ page }) => {
    const { latest } = theData();
    const week = isoWeek(latest);
    await page.goto('/');

    await page.locator('nav.tabs').getByRole('link', { name: 'Week' }).click();
    await expect(page).toHaveURL(new RegExp(`/papers/week/${week.key}$`));
    await expect(page.locator('nav.tabs a[aria-current="page"]')).toHaveText('Week');
    await expect(page.locator('main h1')).toHaveText(
      `Week ${Number(week.key.slice(6))} of ${week.key.slice(0, 4)}`,
    );
    const cards = await expectListMatchesApi(page, `week=${week.key}`);
    for (const card of cards) {
      expect(card.featuredDay! >= week.monday && card.featuredDay! <= week.sunday).toBe(true);
    }
    await expect(page.locator('ol.cards .rank')).toHaveCount(3);

    const previousWeek = isoWeek(dayBefore(week.monday)!);
    await page.locator('nav.pager a[rel="prev"]').click();
    await expect(page).toHaveURL(new RegExp(`/papers/week/${previousWeek.key}$`));
    const previousCards = await expectListMatchesApi(page, `week=${previousWeek.key}`);
    for (const card of previousCards) {
      expect(card.featuredDay! >= previousWeek.monday && card.featuredDay! <= previousWeek.sunday).toBe(true);
    }

    await page.locator('nav.pager a[rel="next"]').click();
    await expect(page).toHaveURL(new RegExp(`/papers/week/${week.key}$`));
    await expect(page.locator('nav.pager a[rel="next"]')).toHaveCount(0);
  });

  test('the Month tab lists the month, and previous/next step through months', async ({ page }) => {
    const { latest } = theData();
    const month = latest.slice(0, 7);
    await page.goto(`/papers/date/${latest}`);

    await page.locator('nav.tabs').getByRole('link', { name: 'Month' }).click();
    await expect(page).toHaveURL(new RegExp(`/papers/month/${month}$`));
    await expect(page.locator('nav.tabs a[aria-current="page"]')).toHaveText('Month');
    await expect(page.locator('main h1')).toHaveText(
      `${MONTHS[Number(month.slice(5)) - 1]} ${month.slice(0, 4)}`,
    );
    const cards = await expectListMatchesApi(page, `month=${month}`);
    expect(cards.every((c) => c.featuredDay?.startsWith(month))).toBe(true);
    // the Day tab of a month leads to the day of its top paper
    await expect(page.locator('nav.tabs').getByRole('link', { name: 'Day' })).toHaveAttribute(
      'href',
      `/papers/date/${cards[0]!.featuredDay}`,
    );

    const previousMonth = dayBefore(`${month}-01`)!.slice(0, 7);
    await page.locator('nav.pager a[rel="prev"]').click();
    await expect(page).toHaveURL(new RegExp(`/papers/month/${previousMonth}$`));
    const previousCards = await expectListMatchesApi(page, `month=${previousMonth}`);
    expect(previousCards.every((c) => c.featuredDay?.startsWith(previousMonth))).toBe(true);

    await page.locator('nav.pager a[rel="next"]').click();
    await expect(page).toHaveURL(new RegExp(`/papers/month/${month}$`));

    // and back to a day from the month
    await page.locator('nav.tabs').getByRole('link', { name: 'Day' }).click();
    await expect(page).toHaveURL(new RegExp(`/papers/date/${cards[0]!.featuredDay}$`));
  });
});

test.describe('a paper page', () => {
  test("a card's title opens the paper: same title, abstract and upvotes, and its links", async ({
    page,
  }) => {
    const { latest } = theData();
    await page.goto('/');
    const cards = await readCards(page);
    const card = cards[1]!; // not the first: any card must lead to its own paper
    const [item] = (await dailyApi(page.request, `date=${latest}&limit=100`)).filter(
      (i) => i.paper.id === card.id,
    );
    expect(item, `the API has ${card.id}`).toBeDefined();

    await cardsOf(page).nth(1).locator('h3 a').click();
    await expect(page).toHaveURL(new RegExp(`/papers/${card.id.replace('.', '\\.')}$`));
    await expect(page.locator('main h1')).toHaveText(card.title);
    await expect(page).toHaveTitle(new RegExp(`^${escapeRegExp(card.title)} · `));
    await expect(page.locator('main .abstract')).toHaveText(squash(item!.paper.summary));
    await expect(page.locator('.big-votes .count')).toHaveText(String(card.upvotes));
    expect(card.upvotes).toBe(item!.paper.upvotes);

    const links = page.locator('.paper-head .links');
    await expect(links.getByRole('link', { name: 'arXiv page' })).toHaveAttribute(
      'href',
      `https://arxiv.org/abs/${card.id}`,
    );
    await expect(links.getByRole('link', { name: 'PDF', exact: true })).toHaveAttribute(
      'href',
      `https://arxiv.org/pdf/${card.id}`,
    );

    const markdownLink = links.getByRole('link', { name: 'Markdown' });
    await expect(markdownLink).toHaveAttribute('href', `/papers/${card.id}.md`);
    const markdown = await page.request.get((await markdownLink.getAttribute('href'))!);
    expect(markdown.status()).toBe(200);
    expect(markdown.headers()['content-type']).toMatch(/^text\/markdown/);
    const text = await markdown.text();
    expect(text.startsWith('# ')).toBe(true);
    const heading = text.split('\n')[0]!.slice(2).replace(/\\(.)/g, '$1');
    expect(heading).toBe(card.title);
    expect(text).toContain(`**Upvotes:** ${card.upvotes}`);

    const featuredOn = page
      .locator('aside.paper-side p', { hasText: 'Featured on' })
      .getByRole('link')
      .first();
    await expect(featuredOn).toHaveAttribute('href', `/papers/date/${latest}`);
    await featuredOn.click();
    await expect(page).toHaveURL(new RegExp(`/papers/date/${latest}$`));
    await expect(page.locator(`ol.cards h3 a[href="/papers/${card.id}"]`)).toHaveText(card.title);
  });

  test('a category chip leads to the newest papers of that category', async ({ page }) => {
    const { arxivOnly, arxivById } = theData();
    const categories = arxivOnly.categories.trim().split(/\s+/);
    await page.goto(`/papers/${arxivOnly.id}`);
    await expect(page.locator('main h1')).toHaveText(squash(arxivOnly.title));
    await expect(page.locator('aside.paper-side')).toContainText('Not featured on a daily list.');
    await expect(page.locator('.paper-head a.chip')).toHaveText(categories);

    const category = categories[0]!;
    await page.locator('.paper-head a.chip').first().click();
    await expect(page).toHaveURL(`/new?cat=${encodeURIComponent(category)}`);
    await expect(page.locator('main h1')).toHaveText(`New in ${category}`);
    const cards = await readCards(page);
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      const record = arxivById.get(card.id);
      expect(record, `${card.id} comes from the arXiv file`).toBeDefined();
      expect(record!.categories.split(/\s+/)).toContain(category);
    }
  });

  test('a long abstract or author list shows its start, and the rest in place on a click', async ({
    page,
  }) => {
    const hf = readJsonLines<{ id: string; authors: string[] }>(HF_SAMPLE);
    const crowded = hf.find((r) => r.authors.length > 25)!;
    const stored = (await (await page.request.get(`/api/papers/${crowded.id}`)).json()) as {
      authors: { name: string }[];
    };
    const names = stored.authors.map((a) => squash(a.name));
    expect(names.length).toBeGreaterThan(25);
    await page.goto(`/papers/${crowded.id}`);
    const authors = page.locator('.paper-head .author-list');
    // closed: the first 20 and "and N more", the 21st not drawn
    await expect(authors.getByRole('link', { name: names[0]!, exact: true })).toBeVisible();
    await expect(authors.getByRole('link', { name: names[20]!, exact: true })).toBeHidden();
    await expect(authors.locator('.more')).toHaveText(`and ${names.length - 20} more`);
    const closedHeight = (await authors.boundingBox())!.height;
    await authors.locator('.more').click();
    await expect(authors.getByRole('link', { name: names.at(-1)!, exact: true })).toBeVisible();
    await expect(authors.locator('.more')).toBeHidden();
    expect((await authors.boundingBox())!.height).toBeGreaterThan(closedHeight);

    await page.goto('/');
    const preview = page.locator('details.abstract-preview').first();
    const head = (await preview.locator('summary').textContent())!.replace(/… more$/, '');
    const closed = (await preview.boundingBox())!.height;
    await preview.locator('.more').click();
    await expect(preview.locator('.more')).toBeHidden();
    const open = (await preview.boundingBox())!.height;
    // the rest follows the start in the same paragraph: taller, and the text reads on without a break
    expect(open).toBeGreaterThan(closed * 1.5);
    expect(squash((await preview.textContent())!)).toContain(squash(head).slice(-30));
  });

  test('an unknown paper gives a 404 page that says what to do', async ({ page }) => {
    const id = '2401.99999';
    expect((await page.request.get(`/api/papers/${id}`)).status()).toBe(404);

    const res = await page.goto(`/papers/${id}`);
    expect(res?.status()).toBe(404);
    await expect(page.locator('main h1')).toHaveText("We don't have this paper");
    await expect(page.locator('main')).toContainText(`Paper ${id} is not in this instance yet.`);
    await expect(
      page.locator('main').getByRole('link', { name: `https://arxiv.org/abs/${id}` }),
    ).toHaveAttribute('href', `https://arxiv.org/abs/${id}`);
    await page.locator('main').getByRole('link', { name: '← Back to the daily papers' }).click();
    await expect(page).toHaveURL(/\/papers$/);
    await expect(cardsOf(page).first()).toBeVisible();
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the list and a paper fit the screen without sideways scrolling', async ({ page }) => {
    await page.goto('/');
    await expect(cardsOf(page).first()).toBeVisible();
    expect(await cardsOf(page).count()).toBeGreaterThan(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    await cardsOf(page).first().locator('h3 a').click();
    await expect(page.locator('.big-votes')).toBeVisible();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
  });
});

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('the page is dark, and light again in light mode', async ({ page }) => {
    await page.goto('/');
    await expect(cardsOf(page).first()).toBeVisible();
    const dark = await bodyBackground(page);
    expect(luminance(dark), `dark body background ${dark}`).toBeLessThan(0.05);

    await page.emulateMedia({ colorScheme: 'light' });
    const light = await bodyBackground(page);
    expect(luminance(light), `light body background ${light}`).toBeGreaterThan(0.8);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
