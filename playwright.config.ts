import { defineConfig } from '@playwright/test';

/**
 * Browser tests (test/e2e) against the real CLI and server, driven by Debian's Chromium: no browser download.
 * test/e2e/global-setup.ts imports the shared data into a temporary database, starts `paperboy serve` on a
 * free port and puts its address in PAPERBOY_E2E_BASE_URL; the workers start after it and read it here.
 * Without Chromium or the shared data the tests are skipped loudly, or fail when PAPERBOY_STRICT=1.
 */
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  globalTeardown: './test/e2e/global-teardown.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: process.env.CI !== undefined,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: process.env.PAPERBOY_E2E_BASE_URL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
            '--disable-quic',
          ],
        },
      },
    },
  ],
});
