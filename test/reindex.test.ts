import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddingServer, startEmbeddingServer } from '../bench/peers/embedding-server.ts';
import { childEnv, ROOT } from './helpers/cli.ts';

/**
 * `paperboy reindex` and the embeddings after `paperboy import`, as a user runs them: child processes on a
 * temporary database, the `openai` provider pointed at a local server with a real model (USE-lite).
 * The child processes run asynchronously so this process can answer their embedding requests.
 */
const BIN = join(ROOT, 'bin/paperboy.js');
let dir: string;
let server: EmbeddingServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-reindex-'));
  server = await startEmbeddingServer();
}, 60_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function paperboy(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const record = (id: string, title: string, abstract: string) =>
  JSON.stringify({
    id,
    title,
    abstract,
    authors: 'Jane Doe',
    categories: 'cs.CL',
    update_date: '2024-01-02',
  });

describe('paperboy reindex', () => {
  it('rebuilds the full-text index, and refuses --embeddings without a model', async () => {
    const db = join(dir, 'fts.db');
    writeFileSync(join(dir, 'a.jsonl'), `${record('2401.00001', 'Sparse experts', 'Routing tokens.')}\n`);
    const env = { DATABASE_URL: `sqlite:${db}`, DATA_DIR: dir };
    expect((await paperboy(['import', 'a.jsonl'], env)).status).toBe(0);
    const reindex = await paperboy(['reindex'], env);
    expect(reindex.status).toBe(0);
    expect(reindex.stdout).toMatch(/Full-text index rebuilt: 1 papers/);
    const check = new BetterSqlite3(db, { readonly: true });
    expect(
      check.prepare("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'routing'").pluck().get(),
    ).toBe(1);
    check.close();
    const none = await paperboy(['reindex', '--embeddings'], env);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no embedding model is configured');
  }, 60_000);

  it('embeds new papers after an import and with reindex --embeddings (--all: every paper again)', async () => {
    const db = join(dir, 'vec.db');
    const env = {
      DATABASE_URL: `sqlite:${db}`,
      DATA_DIR: dir,
      EMBEDDINGS_PROVIDER: 'openai',
      EMBEDDINGS_MODEL: 'use-lite',
      EMBEDDINGS_BASE_URL: server.baseUrl,
      EMBEDDINGS_BATCH_SIZE: '2',
    };
    writeFileSync(
      join(dir, 'b.jsonl'),
      [
        record('2401.00011', 'Dogs and their owners', 'Training puppies.'),
        record('2401.00012', 'Inflation and markets', 'Prices rise.'),
        record('2401.00013', 'Electric cars', 'Battery range.'),
      ].join('\n'),
    );
    const imported = await paperboy(['import', 'b.jsonl'], env);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain('Embedded 3 papers with openai:use-lite');
    const again = await paperboy(['reindex', '--embeddings'], env);
    expect(again.stderr).not.toContain('paperboy:');
    expect(again.stdout).toContain('Embedded 0 papers');
    const all = await paperboy(['reindex', '--embeddings', '--all'], env);
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('Embedded 3 papers');
    expect(all.stderr).toContain('reindex: 3/3 papers embedded');
    const check = new BetterSqlite3(db, { readonly: true });
    expect(check.prepare('SELECT count(*) FROM paper_embeddings').pluck().get()).toBe(3);
    check.close();
    server.failWith = 500;
    try {
      writeFileSync(join(dir, 'c.jsonl'), record('2401.00014', 'Soccer', 'Tactics.'));
      const down = await paperboy(['import', 'c.jsonl'], env);
      expect(down.status).toBe(0);
      expect(down.stderr).toContain('papers imported, but not embedded');
      const failed = await paperboy(['reindex', '--embeddings'], env);
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('answered 500');
      expect(failed.stderr).not.toMatch(/\n\s+at /);
    } finally {
      server.failWith = null;
    }
  }, 120_000);
});
