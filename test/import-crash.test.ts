import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, ROOT } from './helpers/cli.ts';
import { createTestStore, type TestStore } from './helpers/store.ts';

const RECORDS = 30_000;
const BATCH = 1000;

let store: TestStore;
let file: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  store = await createTestStore();
  await store.close();
  file = join(store.dir, 'big.jsonl');
  const lines = Array.from({ length: RECORDS }, (_, i) =>
    JSON.stringify({
      id: `2405.${String(i).padStart(5, '0')}`,
      authors: 'Jane Doe, John Roe',
      title: `Crash test paper ${i}`,
      categories: 'cs.LG',
      abstract: `An abstract about gradient descent number ${i}. `.repeat(10),
      versions: [{ version: 'v1', created: 'Mon, 6 May 2024 10:00:00 GMT' }],
      update_date: '2024-05-07',
    }),
  );
  writeFileSync(file, lines.join('\n'));
  env = childEnv({ DATABASE_URL: `sqlite:${join(store.dir, 'paperboy.db')}`, DATA_DIR: store.dir });
});
afterAll(async () => {
  await store.dispose();
});

function countRows(): { papers: number; fts: number } {
  const db = new BetterSqlite3(join(store.dir, 'paperboy.db'), { readonly: true, fileMustExist: true });
  try {
    const papers = (db.prepare('SELECT count(*) n FROM papers').get() as { n: number }).n;
    const fts = (db.prepare('SELECT count(*) n FROM papers_fts_docsize').get() as { n: number }).n;
    return { papers, fts };
  } finally {
    db.close();
  }
}

describe('paperboy import under kill -9', () => {
  it('leaves a consistent database, and a re-run completes the import', { timeout: 120_000 }, async () => {
    const child = spawn(
      process.execPath,
      ['bin/paperboy.js', 'import', '--batch-size', String(BATCH), file],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    let exited: number | null = null;
    child.once('exit', (code) => {
      exited = code ?? -1;
    });
    // wait until some batches are committed, then kill without warning
    const deadline = Date.now() + 60_000;
    let seen = 0;
    while (Date.now() < deadline && exited === null) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        seen = countRows().papers;
      } catch {
        seen = 0;
      }
      if (seen >= 3 * BATCH) break;
    }
    expect(exited, 'the import ended before it could be killed').toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(seen).toBeGreaterThan(0);

    const db = new BetterSqlite3(join(store.dir, 'paperboy.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')");
    const categories = (db.prepare('SELECT count(*) n FROM paper_categories').get() as { n: number }).n;
    db.close();
    const after = countRows();
    expect(after.papers).toBeLessThan(RECORDS);
    // whole batches only: nothing half-written
    expect(after.papers % BATCH).toBe(0);
    expect(after.fts).toBe(after.papers);
    expect(categories).toBe(after.papers);

    const rerun = spawnSync(
      process.execPath,
      ['bin/paperboy.js', 'import', '--batch-size', String(BATCH), file],
      {
        cwd: ROOT,
        env,
        encoding: 'utf8',
      },
    );
    expect(rerun.status).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`inserted\\s+${RECORDS - after.papers}\\b`));
    expect(rerun.stdout).toMatch(new RegExp(`unchanged\\s+${after.papers}\\b`));
    expect(countRows()).toEqual({ papers: RECORDS, fts: RECORDS });
  });
});
