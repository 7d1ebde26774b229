import type { Migration } from 'kysely';
import * as core from './0001_core.ts';
import * as harvest from './0002_harvest.ts';
import * as members from './0003_members.ts';
import * as digests from './0004_digests.ts';
import * as search from './0005_search.ts';
import * as beyond from './0006_beyond.ts';
import * as searchStorage from './0007_search_storage.ts';
import * as rowLayout from './0008_row_layout.ts';

/** The PostgreSQL twins of ../sqlite, same names and order, then PostgreSQL's own (0007, 0008). Append-only. */
export const postgresMigrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_harvest': harvest,
  '0003_members': members,
  '0004_digests': digests,
  '0005_search': search,
  '0006_beyond': beyond,
  '0007_search_storage': searchStorage,
  '0008_row_layout': rowLayout,
};
