import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, ROOT } from './helpers/cli.ts';

const BIN = join(ROOT, 'bin/paperboy.js');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function paperboy(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: childEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('paperboy command line', () => {
  it('refuses bad arguments and bad configuration with a message and exit code 2', () => {
    const format = paperboy(['import', '--format', 'csv', 'x.jsonl']);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('--format must be one of: auto, kaggle, hf-daily');
    const batch = paperboy(['import', '--batch-size', '0', 'x.jsonl']);
    expect(batch.status).toBe(2);
    expect(batch.stderr).toContain('--batch-size');
    const port = paperboy(['migrate'], { PORT: 'eighty' });
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/PORT/);
    const pg = paperboy(['migrate'], { DATABASE_URL: 'postgres://127.0.0.1:1/x' });
    expect(pg.status).toBe(1);
    expect(pg.stderr).toContain('paperboy: cannot reach the database at 127.0.0.1:1/x');
    const notAUrl = paperboy(['migrate'], { DATABASE_URL: 'mysql://localhost/x' });
    expect(notAUrl.status).toBe(2);
    expect(notAUrl.stderr).toContain('is not a sqlite: URL');
    for (const result of [format, batch, port, pg, notAUrl]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('creates an admin from the shell, with the password from stdin, and refuses bad input', () => {
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'admin.db')}`,
      DATA_DIR: dir,
      PASSWORD_SCRYPT_LOG_N: '14',
    };
    const run = (args: string[], input: string) =>
      spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv(env), input, encoding: 'utf8' });
    const ok = run(['admin', 'create', 'root', 'root@example.org'], 'a long admin password\n');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Admin root created');
    const again = run(['admin', 'create', 'Root', 'other@example.org'], 'a long admin password\n');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('that username already has an account');
    expect(run(['admin', 'create', 'x', 'x@example.org'], 'a long admin password\n').stderr).toContain(
      'username:',
    );
    expect(run(['admin', 'create', 'shorty', 'shorty@example.org'], 'short\n').stderr).toContain('password:');
    const db = new BetterSqlite3(join(dir, 'admin.db'), { readonly: true });
    expect(db.prepare('SELECT username, role FROM users').all()).toEqual([
      { username: 'root', role: 'admin' },
    ]);
    db.close();
  });

  it('stops cleanly on Ctrl-C after a committed batch and says how to finish', async () => {
    const file = join(dir, 'many.jsonl');
    writeFileSync(
      file,
      Array.from({ length: 40_000 }, (_, i) =>
        JSON.stringify({
          id: `2406.${String(i).padStart(5, '0')}`,
          title: `T ${i}`,
          abstract: 'word '.repeat(150),
          categories: 'cs.AI',
        }),
      ).join('\n'),
    );
    const env = childEnv({ DATABASE_URL: `sqlite:${join(dir, 'sigint.db')}`, DATA_DIR: dir });
    const child = spawn(process.execPath, [BIN, 'import', '--batch-size', '500', file], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    let signalled = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!signalled && /\d+ inserted/.test(stderr)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toContain('Stopping after the current batch');
    expect(code).toBe(130);
    expect(stdout).toContain('Run the same command again to complete the import');
    const again = spawnSync(process.execPath, [BIN, 'import', file], { cwd: dir, env, encoding: 'utf8' });
    expect(again.status).toBe(0);
    const inserted = Number(/inserted\s+(\d+)/.exec(again.stdout)![1]);
    const unchanged = Number(/unchanged\s+(\d+)/.exec(again.stdout)![1]);
    expect(inserted + unchanged).toBe(40_000);
    expect(unchanged % 500).toBe(0);
  }, 120_000);

  it('serve creates and migrates ./data/paperboy.db on a fresh machine and answers', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'paperboy-fresh-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, [BIN, 'serve'], {
      cwd: fresh,
      env: childEnv({ PORT: String(port) }),
    });
    try {
      let answer: Response | null = null;
      for (let i = 0; i < 100 && !answer; i++) {
        await new Promise((r) => setTimeout(r, 100));
        answer = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
      }
      expect(answer?.status).toBe(200);
      expect(await answer?.text()).toContain('No papers here yet');
      expect(existsSync(join(fresh, 'data', 'paperboy.db'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);
});
