import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { simpleParser } from 'mailparser';

const skipReason = process.env.PAPERBOY_E2E_SKIP;
test.skip(skipReason !== undefined, `!!! SKIPPED: ${skipReason}`);

/** The newest mail to an address in the instance's outbox (no SMTP is configured in the browser tests). */
async function lastMailTo(address: string) {
  const outbox = join(process.env.PAPERBOY_E2E_DIR!, 'outbox');
  const files = readdirSync(outbox).sort().reverse();
  for (const file of files) {
    const mail = await simpleParser(readFileSync(join(outbox, file)));
    if (mail.to && !Array.isArray(mail.to) && mail.to.text === address) return mail;
  }
  throw new Error(`no mail to ${address} in ${outbox}`);
}

test('subscribe, confirm from the mail, change topics, unsubscribe', async ({ page }) => {
  const email = `reader${Date.now()}@example.org`;
  await page.goto('/');
  await page.locator('.banner').getByRole('link', { name: 'Subscribe' }).click();
  await expect(page.getByRole('heading', { name: 'Get the top papers in your inbox' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/Weekly/).check();
  await page.getByLabel('Keywords').fill('agents, diffusion');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();

  const confirmation = await lastMailTo(email);
  expect(confirmation.subject).toMatch(/^Confirm your .* digest$/);
  const link = /https?:\/\/[^\s]+\/subscription\/confirm\/[^\s]+/.exec(confirmation.text ?? '')![0];
  await page.goto(new URL(new URL(link).pathname, page.url()).toString());
  await expect(page.getByRole('status')).toContainText('Subscription confirmed');
  await expect(page.getByRole('heading')).toContainText(email);
  await expect(page.getByLabel(/Weekly/)).toBeChecked();
  await expect(page.getByLabel('Keywords')).toHaveValue('agents, diffusion');

  await page.getByLabel(/Daily/).check();
  await page.getByLabel('Papers per digest').fill('5');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await expect(page.getByLabel(/Daily/)).toBeChecked();
  await expect(page.getByLabel('Papers per digest')).toHaveValue('5');

  await page.getByRole('button', { name: 'Unsubscribe from all digests' }).click();
  await expect(page.getByRole('heading', { name: 'You are unsubscribed' })).toBeVisible();
  await page.goBack();
  await page.reload();
  await expect(page.getByRole('alert')).toContainText('This address is unsubscribed');
});
