import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, ROOT } from './helpers/cli.ts';

const BIN = join(ROOT, 'bin/paperboy.js');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-beyond-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function paperboy(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: childEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('paperboy keywords, for-you and summarize', () => {
  it('extracts keyphrases and trains recommendations from the shell; summarize needs an endpoint', () => {
    const file = join(dir, 'papers.jsonl');
    const line = (id: string, title: string, abstract: string) =>
      JSON.stringify({
        id,
        authors: 'Jane Doe',
        title,
        abstract,
        categories: 'cs.RO',
        versions: [{ version: 'v1', created: 'Mon, 2 Apr 2024 19:18:42 GMT' }],
        update_date: '2024-04-03',
      });
    writeFileSync(
      file,
      [
        line(
          '2404.00001',
          'Robot grasping with tactile sensing',
          'A robot arm grasps objects using tactile sensing.',
        ),
        line(
          '2404.00002',
          'Robot manipulation policies',
          'Manipulation policies for a robot arm from demonstrations.',
        ),
        line('2404.00003', 'Speech recognition at scale', 'Automatic speech recognition of accented audio.'),
      ].join('\n'),
    );
    expect(paperboy(['import', file]).status).toBe(0);
    const keywords = paperboy(['keywords']);
    expect(keywords.status).toBe(0);
    expect(keywords.stdout).toMatch(/Keyphrases for 3 papers/);
    expect(paperboy(['keywords']).stdout).toMatch(/Keyphrases for 0 papers/);
    expect(paperboy(['keywords', '--limit', 'lots']).status).toBe(2);

    const db = new BetterSqlite3(join(dir, 'data/paperboy.db'));
    const user = db
      .prepare(
        `INSERT INTO users (username, email, password_hash, created_at) VALUES ('r', 'r@x.org', 'x', '2024-01-01') RETURNING id`,
      )
      .get() as { id: number };
    db.prepare(
      `INSERT INTO votes (user_id, paper_id, created_at) VALUES (?, '2404.00001', '2024-01-01')`,
    ).run(user.id);
    db.close();
    const forYou = paperboy(['for-you']);
    expect(forYou.status).toBe(0);
    expect(forYou.stdout).toMatch(/Recommendations for 1 members \(0 unchanged\)/);
    expect(paperboy(['for-you']).stdout).toMatch(/Recommendations for 0 members \(1 unchanged\)/);
    const check = new BetterSqlite3(join(dir, 'data/paperboy.db'), { readonly: true });
    const first = check.prepare('SELECT paper_id FROM recommendations WHERE rank = 1').get() as {
      paper_id: string;
    };
    expect(first.paper_id).toBe('2404.00002');
    check.close();

    const summarize = paperboy(['summarize']);
    expect(summarize.status).toBe(2);
    expect(summarize.stderr).toContain('set SUMMARY_API_URL and SUMMARY_MODEL');
    const noModel = paperboy(['summarize'], { SUMMARY_API_URL: 'http://127.0.0.1:9/v1' });
    expect(noModel.status).toBe(2);
    expect(noModel.stderr).toContain('SUMMARY_MODEL');
  });
});
