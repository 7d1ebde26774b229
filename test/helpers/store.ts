import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type SqliteStore } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface TestStore extends SqliteStore {
  dir: string;
  /** closes the store and deletes its folder */
  dispose(): Promise<void>;
}

/** A fresh SQLite file with the real migrations, in its own temporary folder. */
export async function createTestStore(): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-test-'));
  const store = openStore(`sqlite:${join(dir, 'paperboy.db')}`);
  await migrateToLatest(store);
  return {
    ...store,
    dir,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
