// Runs after daily-lists.spec.ts (files run in name order on one worker, one server): it writes (a feature
// today, votes, comments), which would change what the read-only daily list tests expect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { SHARED_DATA } from '../helpers/shared-data.ts';
import { ARXIV_SAMPLE, HF_SAMPLE } from './global-setup.ts';

const skipReason = process.env.PAPERBOY_E2E_SKIP;
test.skip(skipReason !== undefined, `!!! SKIPPED: ${skipReason}`);

/** Papers the arXiv import brought in that no HF record features: free to submit. Read from the files. */
function unfeaturedIds(): string[] {
  if (skipReason !== undefined) return [];
  const ids = (file: string) =>
    readFileSync(join(SHARED_DATA, file), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
  const featured = new Set(ids(HF_SAMPLE));
  return ids(ARXIV_SAMPLE).filter((id) => !featured.has(id));
}
const free = unfeaturedIds();
const password = 'a long e2e password';

async function signUp(page: Page, username: string) {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.org`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.locator('.account')).toContainText(username);
}

/** Fails the test if any script injected through the page runs: a dialog, or the marker payloads set. */
function watchForInjectedScript(page: Page): () => Promise<void> {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return async () => {
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
  };
}

test.describe('a member', () => {
  test('signs up, submits a paper, upvotes and unvotes, comments and replies, logs out', async ({ page }) => {
    const user = `alice${Date.now() % 100000}`;
    await signUp(page, user);

    // submit a paper by pasting a URL
    const id = free[0]!;
    await page.getByRole('link', { name: 'Submit' }).click();
    await page.getByLabel('arXiv id or URL').fill(`https://arxiv.org/abs/${id}v1`);
    await page.getByRole('button', { name: 'Find the paper' }).click();
    await expect(page.getByRole('heading', { name: 'Is this the paper?' })).toBeVisible();
    await page.getByLabel(/Why it matters/).fill('A clear paper, **worth** reading.');
    await page.getByRole('button', { name: 'Feature it today' }).click();
    await expect(page).toHaveURL(new RegExp(`/papers/${id.replace('.', '\\.')}`));
    await expect(page.locator('.paper-side')).toContainText(`by ${user}`);
    await expect(page.locator('.comment-body').first()).toContainText('A clear paper, worth reading.');
    await expect(page.locator('.badge', { hasText: 'submitter' })).toBeVisible();

    // upvote in place (htmx), then take it back
    const count = page.locator('.big-votes .count');
    const before = Number(await count.textContent());
    await page.locator('.big-votes button').click();
    await expect(count).toHaveText(String(before + 1));
    await expect(page.locator('.big-votes button')).toHaveAttribute('aria-pressed', 'true');
    await page.locator('.big-votes button').click();
    await expect(count).toHaveText(String(before));

    // comment and reply
    await page.getByLabel('Add a comment').fill('Has anyone reproduced table 2?');
    await page.getByRole('button', { name: 'Add a comment' }).click();
    const comment = page.locator('.comment', { hasText: 'Has anyone reproduced table 2?' }).first();
    await comment.locator('summary', { hasText: 'Reply' }).first().click();
    await comment.getByLabel('Reply').first().fill('Yes, within 0.3 points.');
    await comment.getByRole('button', { name: 'Reply' }).first().click();
    await expect(
      page.locator('.comment .comments .comment-body', { hasText: 'Yes, within 0.3 points.' }),
    ).toBeVisible();
    await expect(page.locator('#comments')).toHaveText('3 comments');

    // the day's list shows the paper
    await page.goto('/');
    await expect(page.locator('.card h3 a', { hasText: await titleOf(page, id) })).toBeVisible();

    // log out
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page.locator('.account')).toContainText('Log in');
    await page.goto('/settings');
    await expect(page).toHaveURL(/\/login\?next=%2Fsettings/);
  });

  test('upvotes without JavaScript: the plain form posts and comes back', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signUp(page, `nojs${Date.now() % 100000}`);
    await page.goto('/');
    const card = page.locator('.card').first();
    const before = Number(await card.locator('.count').textContent());
    await card.locator('button.votes').click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator('.card').first().locator('.count')).toHaveText(String(before + 1));
    await expect(page.locator('.card').first().locator('button.votes')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await context.close();
  });

  test('anonymous visitors who upvote are asked to log in and come back', async ({ page }) => {
    await page.goto('/');
    await page.locator('.card a.votes').first().click();
    await expect(page).toHaveURL(/\/login\?next=%2F/);
    await page.getByLabel('Username or email').fill('nobody');
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  });
});

async function titleOf(page: Page, id: string): Promise<string> {
  const res = await page.request.get(`/api/papers/${id}`);
  return ((await res.json()) as { title: string }).title;
}

test.describe('hostile input', () => {
  const payloads = [
    '<script>window.__xss=1;alert(1)</script>',
    '<img src=x onerror="window.__xss=1;alert(2)">',
    '"><svg onload="window.__xss=1;alert(3)">',
    '[click me](javascript:window.__xss=1)',
    "'-alert(4)-'",
  ];

  test('renders inert in comments, the submit box, the search box and the login form', async ({ page }) => {
    const check = watchForInjectedScript(page);
    await signUp(page, `mallory${Date.now() % 100000}`);
    await page.goto(`/papers/${free[1]!}`);
    for (const payload of payloads) {
      await page.getByLabel('Add a comment').fill(payload);
      await page.getByRole('button', { name: 'Add a comment' }).click();
    }
    await expect(page.locator('.comment-body')).toHaveCount(payloads.length);
    await expect(page.locator('.comment-body').first()).toContainText('<script>');
    for (const link of await page.locator('.comment-body a').all()) {
      expect(await link.getAttribute('href')).not.toMatch(/^javascript:/i);
    }
    for (const payload of payloads) {
      await page.goto(`/submit?id=${encodeURIComponent(payload)}`);
      await expect(page.getByRole('alert')).toBeVisible();
      await page.goto(`/papers?q=${encodeURIComponent(payload)}`);
      await expect(page.locator('h1')).toContainText('Papers about');
      await page.goto(`/login?next=${encodeURIComponent(payload)}`);
    }
    await check();
  });
});
