import type { Migration } from 'kysely';
import * as core from './0001_core.ts';
import * as harvest from './0002_harvest.ts';

/** Append-only: never edit a migration that has shipped; add the next number. */
export const sqliteMigrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_harvest': harvest,
};
