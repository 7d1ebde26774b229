// Collections, authorship claims, "for you" and the Cite button in a browser. Named to run after the other
// spec files (one server, files in name order): it writes (collections, votes, claims, an admin account).
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect, type Page, test } from '@playwright/test';

const skipReason = process.env.PAPERBOY_E2E_SKIP;
test.skip(skipReason !== undefined, `!!! SKIPPED: ${skipReason}`);

const password = 'a long e2e password';
const suffix = () => `${Date.now() % 1_000_000}`;
// sign-ups are limited to 5 an hour per address and the other spec files use 3: this file makes 2 and reuses them
let curator = '';

async function signUp(page: Page, username: string) {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.org`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.locator('.account')).toContainText(username);
}

async function logIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.locator('.account')).toContainText(username);
}

/** An admin made from the shell, as an operator would (`paperboy admin create`), on the server's database. */
function createAdmin(username: string): void {
  const dir = process.env.PAPERBOY_E2E_DIR!;
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(
    process.execPath,
    [join(root, 'bin/paperboy.js'), 'admin', 'create', username, `${username}@example.org`],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: `sqlite:${join(dir, 'paperboy.db')}`,
        DATA_DIR: dir,
        PASSWORD_SCRYPT_LOG_N: '15',
        PAPERBOY_ADMIN_PASSWORD: password,
        LOG_LEVEL: 'warn',
        HARVEST_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    },
  );
}

test('a member saves papers from cards into a new collection, reorders, shares it, and strangers see it only when public', async ({
  page,
  browser,
}) => {
  curator = `curator${suffix()}`;
  await signUp(page, curator);
  await page.goto('/new');
  const cards = page.locator('.card');
  const titles = [
    await cards.nth(0).locator('h3 a').textContent(),
    await cards.nth(1).locator('h3 a').textContent(),
  ];
  // the first card: Save → a new collection (htmx answers in place)
  await cards.nth(0).locator('.save-menu summary').click();
  await cards.nth(0).getByLabel('New collection name').fill('Weekend reading');
  await cards.nth(0).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(cards.nth(0).locator('.saved')).toContainText('Saved to Weekend reading');
  // the second card, after a reload the collection is in its menu
  await page.reload();
  await cards.nth(1).locator('.save-menu summary').click();
  await cards.nth(1).getByLabel('Collection', { exact: true }).selectOption({ label: 'Weekend reading' });
  await cards.nth(1).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(cards.nth(1).locator('.saved')).toContainText('Saved to Weekend reading');

  await page.getByRole('link', { name: 'Collections' }).click();
  await page.getByRole('link', { name: 'Weekend reading' }).click();
  const url = page.url();
  await expect(page.locator('.card h3')).toHaveText(titles as string[]);
  // reorder: the second to the top
  await page
    .getByRole('button', { name: /^⇈ Top/ })
    .nth(1)
    .click();
  await expect(page.locator('.card h3')).toHaveText([titles[1]!, titles[0]!]);

  // private: a stranger gets a 404
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  expect((await other.goto(url))?.status()).toBe(404);
  // made public, it has a page and a feed for everyone
  await page.getByLabel('Everyone (with a feed)').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('.feed-links')).toBeVisible();
  expect((await other.goto(url))?.status()).toBe(200);
  await expect(other.locator('.card h3')).toHaveText([titles[1]!, titles[0]!]);
  const feed = await other.request.get(`${url.replace('/collections/', '/feeds/collections/')}.atom`);
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain('<entry>');
  await stranger.close();

  // remove one
  await page.getByRole('button', { name: 'Remove' }).first().click();
  await expect(page.locator('.card h3')).toHaveText([titles[0]!]);
});

test('Cite copies the BibTeX to the clipboard, and is a plain link without JavaScript', async ({
  browser,
}) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('.card h3 a').first().click();
  const cite = page.locator('.paper-head a[data-cite]');
  await cite.click();
  await expect(cite).toHaveText('Copied BibTeX');
  const copied = await page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  );
  expect(copied).toMatch(/^@misc\{\w+,\n {2}title = \{\{/);
  await context.close();
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto('/');
  await plain.locator('.card h3 a').first().click();
  const href = await plain.locator('.paper-head a[data-cite]').getAttribute('href');
  expect(href).toMatch(/\.bib$/);
  const bib = await plain.request.get(href!);
  expect(bib.headers()['content-type']).toContain('application/x-bibtex');
  await noJs.close();
});

test('a member claims authorship, a moderator approves, and the badge appears', async ({ page, browser }) => {
  const author = `author${suffix()}`;
  const moderator = `mod${suffix()}`;
  createAdmin(moderator);
  await signUp(page, author);
  // any paper: the newest ones (the daily list of today may hold a single paper featured by another spec)
  await page.goto('/new');
  await page.locator('.card h3 a').nth(2).click();
  const paperUrl = page.url();
  const firstAuthor = page.locator('.author-list > a').first();
  const name = (await firstAuthor.textContent())!;
  await firstAuthor.click();
  await expect(page.locator('h1')).toContainText(name);
  await page.getByLabel(/How a moderator can check/).fill('https://example.org/~me (institutional page)');
  await page.getByRole('button', { name: 'Claim authorship' }).click();
  await expect(page.getByRole('status')).toContainText('a moderator will look at it');

  const modContext = await browser.newContext();
  const mod = await modContext.newPage();
  await logIn(mod, moderator);
  await mod.goto('/moderation/claims');
  const claim = mod.locator('li', { hasText: author });
  await claim.getByLabel('Reason to approve').fill('checked the page');
  await claim.getByRole('button', { name: 'Approve' }).click();
  await expect(mod.locator('li', { hasText: author })).toHaveCount(0);
  await mod.goto('/moderation');
  await expect(mod.locator('tr', { hasText: 'approve-claim' }).first()).toContainText(author);
  await modContext.close();

  await page.goto(paperUrl);
  await expect(page.locator('.author-list .badge.author')).toHaveText(`✓ ${author}`);
  await page.getByLabel('Add a comment').fill('Happy to answer questions about this paper.');
  await page.getByRole('button', { name: 'Add a comment' }).click();
  await expect(
    page.locator('.comment', { hasText: 'Happy to answer questions' }).locator('.badge.author'),
  ).toHaveText('author');
  // the author may set the paper's code link
  await page.getByText('Edit code and project links').click();
  await page.getByLabel('GitHub repository').fill('https://github.com/example/code');
  await page.getByRole('button', { name: 'Save links' }).click();
  await expect(page.locator('.paper-head .links a', { hasText: 'Code' })).toHaveAttribute(
    'href',
    'https://github.com/example/code',
  );
});

test('for you: a member upvotes papers, updates, and sees recommendations with their reasons', async ({
  page,
}) => {
  test.skip(curator === '', 'needs the member of the collections test');
  await logIn(page, curator);
  await page.goto('/for-you');
  await expect(page.locator('.empty')).toContainText('No recommendations yet');
  await page.goto('/new');
  for (const i of [3, 4, 5]) {
    const button = page.locator('.card').nth(i).locator('button.votes');
    await button.click();
    await expect(button).toHaveAttribute('aria-pressed', 'true');
  }
  await page.getByRole('link', { name: 'For you' }).click();
  await page.getByRole('button', { name: 'Update now' }).click();
  await expect(page.locator('.card')).not.toHaveCount(0);
  await expect(page.locator('.reason').first()).toContainText(/Because you (upvoted|collected)/);
  await expect(page.locator('.muted', { hasText: /trained on \d+ papers/ })).toBeVisible();
});
