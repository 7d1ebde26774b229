import type { Kysely } from 'kysely';
import * as core from './0001_core.ts';
import * as harvest from './0002_harvest.ts';
import * as members from './0003_members.ts';
import * as digests from './0004_digests.ts';
import * as search from './0005_search.ts';
import * as beyond from './0006_beyond.ts';
import * as searchStorage from './0007_search_storage.ts';
import * as rowLayout from './0008_row_layout.ts';
import * as rateLimits from './0009_rate_limits.ts';
import * as titleIndex from './0010_title_index.ts';
import * as access from './0011_access.ts';
import * as webhooks from './0012_webhooks.ts';
import * as teams from './0013_teams.ts';
import * as follows from './0014_follows.ts';
import * as paperOrganization from './0015_paper_organization.ts';
import * as paperVectors from './0016_paper_vectors.ts';
import * as titleSearch from './0017_title_search.ts';

/** One migration: what it does on each engine (a body with nothing to do on an engine says why, in one line). */
export interface EngineMigration {
  sqlite(db: Kysely<unknown>): Promise<void>;
  postgres(db: Kysely<unknown>): Promise<void>;
}

/**
 * The one list, the same names in the same order on both engines (src/db/migrate.ts picks the bodies).
 * Append-only: never edit a migration that has shipped; add the next number, with both bodies.
 */
export const MIGRATIONS: Record<string, EngineMigration> = {
  '0001_core': core,
  '0002_harvest': harvest,
  '0003_members': members,
  '0004_digests': digests,
  '0005_search': search,
  '0006_beyond': beyond,
  '0007_search_storage': searchStorage,
  '0008_row_layout': rowLayout,
  '0009_rate_limits': rateLimits,
  '0010_title_index': titleIndex,
  '0011_access': access,
  '0012_webhooks': webhooks,
  '0013_teams': teams,
  '0014_follows': follows,
  '0015_paper_organization': paperOrganization,
  '0016_paper_vectors': paperVectors,
  '0017_title_search': titleSearch,
};
