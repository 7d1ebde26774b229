import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { openStore } from './connect.ts';
import { TABLES } from './copy-store.ts';
import { migrateToLatest } from './migrate.ts';
import { FTS_TABLES } from './schema.ts';

/**
 * `paperboy migrate-store` and `paperboy backup` copy the tables TABLES lists: a table a migration adds and TABLES
 * forgets would be left behind without a word. This compares the list with the migrated schema.
 */
const NOT_COPIED: Record<string, string> = {
  kysely_migration: 'the target runs its own migrations',
  kysely_migration_lock: 'the target runs its own migrations',
  rate_limits: 'windows of a few minutes: bookkeeping, not data',
  paper_embeddings: 'vectors are made again by `paperboy reindex --embeddings`',
};

test('every table of the schema is copied, parents before children, or is listed here with its reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-copy-tables-'));
  const store = openStore(`sqlite:${join(dir, 'paperboy.db')}`);
  try {
    await migrateToLatest(store);
    const { rows } = await sql<{ name: string; sql: string | null }>`
      SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(
      store.db,
    );
    const full = (name: string) => FTS_TABLES.some((fts) => name === fts || name.startsWith(`${fts}_`));
    const tables = rows
      .filter((r) => !full(r.name) && !r.sql?.startsWith('CREATE VIRTUAL') && !(r.name in NOT_COPIED))
      .map((r) => r.name);
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.filter((t) => !TABLES.some((spec) => spec.name === t))).toEqual([]);
    // each table comes after the tables it references
    const order = TABLES.map((t) => t.name);
    for (const table of order) {
      const { rows: refs } = await sql<{ table: string }>`
        SELECT "table" FROM pragma_foreign_key_list(${table})`.execute(store.db);
      for (const ref of refs)
        if (ref.table !== table)
          expect(order.indexOf(ref.table), `${table} references ${ref.table}`).toBeLessThan(
            order.indexOf(table),
          );
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
