import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: everything on SQLite, and the store, service and API tests again on PostgreSQL (a throwaway
 * cluster started by test/helpers/pg-setup.ts, or PAPERBOY_TEST_PG_URL). Without PostgreSQL the second project
 * runs one file that says loudly what was skipped (and fails under PAPERBOY_STRICT=1, as in CI).
 */
const ON_BOTH_STORES = [
  'src/site/daily-api.test.ts',
  'src/site/paper-api.test.ts',
  'src/site/hf-rest-api.test.ts',
  'src/site/pages.test.ts',
  'src/votes/votes.test.ts',
  'src/comments/comments.test.ts',
  'src/site/submit.test.ts',
  'src/moderation/moderation.test.ts',
  'src/users/accounts.test.ts',
  'src/users/csrf.test.ts',
  'src/digests/digests.test.ts',
  'src/webhooks/webhooks.test.ts',
  'src/teams/teams.test.ts',
  'src/search/search-stores.test.ts',
  'src/search/many-matches.test.ts',
  'src/search/vectors-stores.test.ts',
  'src/ingest/import-engines.test.ts',
  'src/ingest/import-copy.test.ts',
  'src/ingest/import-bulk.test.ts',
  'src/authors/authors.test.ts',
  'src/collections/collections.test.ts',
  'src/code-links/code-links.test.ts',
  'src/site/feed-routes.test.ts',
  'src/harvest/harvest-stores.test.ts',
  'src/keywords/keywords.test.ts',
  'src/recommendations/for-you.test.ts',
  'src/web/limits-stores.test.ts',
  'test/write-routes-fuzz.test.ts',
  'test/private-mode.test.ts',
  'src/users/invitations.test.ts',
  'src/follows/follows.test.ts',
  'src/users/sso.test.ts',
];

const postgresAvailable =
  process.env.PAPERBOY_TEST_PG_URL !== undefined ||
  (existsSync('/usr/lib/postgresql') &&
    readdirSync('/usr/lib/postgresql').some((v) => existsSync(join('/usr/lib/postgresql', v, 'bin/initdb'))));

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
          exclude: [
            'test/e2e/**',
            'node_modules/**',
            'test/postgres-unavailable.test.ts',
            'test/several-machines.test.ts',
            'test/store-commands.test.ts',
            'test/postgres-layout.test.ts',
            'test/postgres-search.test.ts',
            'test/migrations.test.ts',
            'test/engines-agree.test.ts',
            'test/rum-index.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: postgresAvailable
            ? [
                ...ON_BOTH_STORES,
                'test/several-machines.test.ts',
                'test/store-commands.test.ts',
                'test/postgres-layout.test.ts',
                'test/postgres-search.test.ts',
                'test/migrations.test.ts',
                'test/engines-agree.test.ts',
                'test/rum-index.test.ts',
              ]
            : ['test/postgres-unavailable.test.ts'],
          globalSetup: postgresAvailable ? ['test/helpers/pg-setup.ts'] : [],
          env: { PAPERBOY_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
