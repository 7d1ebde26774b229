import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Migration, Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore, type Store } from './connect.ts';
import { migrateToLatest } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

/**
 * SQLite databases migrated by the two lists before D54: SQLite's own list named its rate-limit and title-index
 * changes 0008_rate_limits and 0009_title_index (the bodies are the same as the one list's 0009 and 0010; a
 * one-off comparison of the old and new lists' schemas on both engines found them identical before the old
 * files went). Such a database is rebuilt here by running those bodies under the old names.
 */
const oldName: Record<string, string> = {
  '0009_rate_limits': '0008_rate_limits',
  '0010_title_index': '0009_title_index',
};

async function migrateByOldList(store: SqliteStore, upTo: string): Promise<void> {
  const list: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    if (name === '0007_search_storage' || name === '0008_row_layout') continue; // PostgreSQL's only, then
    list[oldName[name] ?? name] = { up: (db) => m.sqlite(db) };
    if ((oldName[name] ?? name) === upTo) break;
  }
  const { error } = await new Migrator({
    db: store.db,
    provider: { getMigrations: async () => list },
  }).migrateToLatest();
  if (error) throw error;
}

async function appliedNames(db: Store['db']): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.map((r) => r.name);
}

async function schemaOf(db: Store['db']): Promise<string[]> {
  const { rows } = await sql<{ sql: string | null; name: string }>`
    SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'kysely_%' ORDER BY type, name`.execute(db);
  return rows.map((r) => `${r.name}: ${r.sql}`);
}

async function addPaper(db: Store['db'], id: string, title: string): Promise<void> {
  await sql`INSERT INTO papers (id, title, abstract, fingerprint, created_at, modified_at)
    VALUES (${id}, ${title}, 'An abstract.', ${id}, '2024-01-01', '2024-01-01')`.execute(db);
}

let dir: string;
const opened: SqliteStore[] = [];
function open(name: string): SqliteStore {
  const store = openStore(`sqlite:${join(dir, name)}`);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-migrate-'));
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The entries added to the one list after it was made (D54): an old database runs them after the renaming. */
const SINCE_THE_ONE_LIST = Object.keys(MIGRATIONS).filter((name) => name > '0010_title_index');

describe('a SQLite database migrated by the old list upgrades to the one list', () => {
  it('renames the old bookkeeping, records 0007/0008 as done, and ends with the same schema as a new database', async () => {
    const old = open('old.db');
    await migrateByOldList(old, '0009_title_index');
    await addPaper(old.db, '2401.00001', 'Sparse attention for long documents');
    expect(await appliedNames(old.db)).toContain('0008_rate_limits');

    // of the old list, nothing is left to run (only names changed); then what came after the one list
    expect(await migrateToLatest(old)).toEqual(SINCE_THE_ONE_LIST);
    expect(await appliedNames(old.db)).toEqual(Object.keys(MIGRATIONS));

    const fresh = open('fresh.db');
    await migrateToLatest(fresh);
    expect(await schemaOf(old.db)).toEqual(await schemaOf(fresh.db));
    const kept = await sql<{ title: string }>`SELECT title FROM papers WHERE id = '2401.00001'`.execute(
      old.db,
    );
    expect(kept.rows[0]?.title).toBe('Sparse attention for long documents');
    expect(await migrateToLatest(old)).toEqual([]); // and a second start is a no-op
  });

  it('a database from before the title index gets it, built from the papers it already has', async () => {
    const old = open('older.db');
    await migrateByOldList(old, '0008_rate_limits');
    await addPaper(old.db, '2401.00002', 'Retrieval augmented generation at scale');
    expect(await migrateToLatest(old)).toEqual(['0010_title_index', ...SINCE_THE_ONE_LIST]);
    expect(await appliedNames(old.db)).toEqual(Object.keys(MIGRATIONS));
    const hit = await sql<{ n: number }>`
      SELECT count(*) AS n FROM papers_title_fts WHERE papers_title_fts MATCH 'retrieval'`.execute(old.db);
    expect(Number(hit.rows[0]?.n)).toBe(1);
  });

  it('a database from before both SQLite-only changes runs the four new entries', async () => {
    const old = open('oldest.db');
    await migrateByOldList(old, '0006_beyond');
    expect(await migrateToLatest(old)).toEqual([
      '0007_search_storage',
      '0008_row_layout',
      '0009_rate_limits',
      '0010_title_index',
      ...SINCE_THE_ONE_LIST,
    ]);
  });

  it('a database migrated by an unknown (newer) list is refused with a clear message, and left as it was', async () => {
    const store = open('newer.db');
    await migrateToLatest(store);
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('0099_from_the_future', ${new Date().toISOString()})`.execute(
      store.db,
    );
    const before = await schemaOf(store.db);
    await expect(migrateToLatest(store)).rejects.toThrow(
      /0099_from_the_future.*newer Paperboy|newer Paperboy.*0099/,
    );
    expect(await schemaOf(store.db)).toEqual(before);
  });
});
