import type { Migration } from 'kysely';
import * as core from './0001_core.ts';
import * as harvest from './0002_harvest.ts';
import * as members from './0003_members.ts';
import * as digests from './0004_digests.ts';
import * as search from './0005_search.ts';
import * as beyond from './0006_beyond.ts';
import * as rateLimits from './0008_rate_limits.ts';
import * as titleIndex from './0009_title_index.ts';

/** Append-only: never edit a migration that has shipped; add the next number. */
export const sqliteMigrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_harvest': harvest,
  '0003_members': members,
  '0004_digests': digests,
  '0005_search': search,
  '0006_beyond': beyond,
  // 0007 is PostgreSQL's only (search vector storage)
  '0008_rate_limits': rateLimits,
  '0009_title_index': titleIndex,
};
