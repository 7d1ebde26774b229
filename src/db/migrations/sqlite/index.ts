import type { Migration } from 'kysely';
import * as core from './0001_core.ts';
import * as members from './0003_members.ts';
import * as search from './0005_search.ts';

/** Append-only: never edit a migration that has shipped; add the next number. */
export const sqliteMigrations: Record<string, Migration> = {
  '0001_core': core,
  // 0002_harvest is on the harvest branch
  '0003_members': members,
  // 0004 is on another branch
  '0005_search': search,
};
