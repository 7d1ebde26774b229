import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config.ts';
import { openAnyStore, type Store } from '../db/connect.ts';
import { copyStore } from '../db/copy-store.ts';
import { byEngine } from '../db/engine.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { UsageError } from './command.ts';

/**
 * `paperboy migrate-store --from URL --to URL`: copies an instance between stores (e.g. SQLite → PostgreSQL),
 * then verifies every table by row count and checksum. The target must be empty; it is migrated first.
 */
export async function runMigrateStore(fromUrl: string, toUrl: string): Promise<void> {
  if (fromUrl.trim() === toUrl.trim()) throw new UsageError('--from and --to name the same store');
  const from = openAnyStore(fromUrl);
  const to = openAnyStore(toUrl);
  try {
    await migrateToLatest(from);
    await migrateToLatest(to);
    let last = '';
    const reports = await copyStore(from, to, (table, copied) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${table}: ${copied} rows copied   `);
      else if (table !== last) process.stderr.write(`copying ${table}…\n`);
      last = table;
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write('table               rows  checksum          same on both sides\n');
    for (const r of reports) {
      process.stdout.write(
        `${r.table.padEnd(18)} ${String(r.rows).padStart(6)}  ${r.checksum}  ${r.matches ? 'yes' : 'NO'}\n`,
      );
    }
    if (reports.some((r) => !r.matches))
      throw new Error('the copy differs from the source: see the table above');
    process.stdout.write(`Copied ${from.location} to ${to.location}; every table verified.\n`);
  } finally {
    await from.close();
    await to.close();
  }
}

/**
 * `paperboy backup [--out FILE]`: SQLite through its online backup API (a consistent copy while Paperboy runs);
 * PostgreSQL through pg_dump's custom format (restore with pg_restore).
 */
export async function runBackup(store: Store, config: Config, out: string | undefined): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const extension = byEngine(store, { sqlite: () => 'db', postgres: () => 'dump' });
  const file = out ?? join(config.DATA_DIR, 'backups', `paperboy-${stamp}.${extension}`);
  mkdirSync(dirname(file), { recursive: true });
  await byEngine(store, {
    sqlite: async (s) => {
      await s.sqlite.backup(file);
    },
    postgres: async () => {
      const dump = spawnSync(
        'pg_dump',
        ['--format=custom', `--file=${file}`, '--no-owner', config.DATABASE_URL],
        {
          encoding: 'utf8',
        },
      );
      if (dump.error)
        throw new UsageError(
          `pg_dump is needed to back up PostgreSQL (Debian: postgresql-client): ${dump.error.message}`,
        );
      if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr.trim()}`);
    },
  });
  process.stdout.write(`Backup written to ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)\n`);
  return file;
}

/** `paperboy migrate`: the schema brought up to date (also done on every start). */
export async function runMigrate(store: Store): Promise<void> {
  process.stdout.write(`Database ${store.location} is up to date.\n`);
}
