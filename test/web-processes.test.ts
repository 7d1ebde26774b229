import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, ROOT } from './helpers/cli.ts';
import { seedFeatures, seedMembersWithTokens } from './helpers/factories.ts';
import { count, createStoreUnderTest, type StoreUnderTest, sql } from './helpers/store-under-test.ts';

/**
 * `paperboy serve` with WEB_PROCESSES=2 on one SQLite file: the primary runs the jobs and forks two web
 * processes sharing the port. Every request here opens its own connection, so the primary hands them to both
 * processes in turn: rate limits must be counted once for the site, votes exactly, a killed web process
 * replaced, and SIGTERM must stop them all.
 */
const MEMBERS = 60;
let store: StoreUnderTest;
let primary: ChildProcess;
let port: number;
const tokens: string[] = [];
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** The paperboy processes whose parent is `pid` (from /proc; tsx may have an esbuild child too). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // "pid (comm) state ppid …": comm may hold spaces, so read after its closing bracket
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) return false;
        return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('paperboy.js');
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** One request on a connection of its own (no keep-alive pool), so each may reach another process. */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path}: no answer in 15 s`)));
    req.end(body);
  });
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const answers = () =>
  send('GET', '/api/daily_papers?limit=1').then(
    (r) => r.status === 200,
    () => false,
  );

beforeAll(async () => {
  store = await createStoreUnderTest();
  await seedFeatures(store, [
    { day: yesterday, upvotes: 3, paper: { id: '2511.00001', title: 'The shared paper' } },
  ]);
  for (const member of await seedMembersWithTokens(store, MEMBERS)) tokens.push(member.token);
  port = 33_000 + Math.floor(Math.random() * 1000);
  primary = spawn(process.execPath, [join(ROOT, 'bin/paperboy.js'), 'serve'], {
    cwd: store.dir,
    env: childEnv({
      DATABASE_URL: `sqlite:${join(store.dir, 'paperboy.db')}`,
      DATA_DIR: store.dir,
      PORT: String(port),
      WEB_PROCESSES: '2',
      PASSWORD_SCRYPT_LOG_N: '14',
      VOTES_PER_MINUTE: '100000',
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // two processes starting on a shared, busy machine: 20 s was once not enough (a local CI run beside browser tests)
  await until(answers, 'the site to answer', 45_000);
}, 60_000);

afterAll(async () => {
  if (primary && primary.exitCode === null) {
    for (const pid of childrenOf(primary.pid!)) process.kill(pid, 'SIGKILL');
    primary.kill('SIGKILL');
  }
  await store?.dispose();
});

describe('serve with WEB_PROCESSES=2 on SQLite', () => {
  it('forks two web processes beside the primary', async () => {
    await until(() => childrenOf(primary.pid!).length === 2, 'two web processes');
    expect(childrenOf(primary.pid!)).toHaveLength(2);
  });

  it('counts a rate limit once for the site, whichever process answers', { timeout: 60_000 }, async () => {
    // 20 login attempts per address per 15 minutes (users/pages.tsx): 30 attempts, each naming another account
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const answer = await send(
        'POST',
        '/login',
        { 'content-type': 'application/x-www-form-urlencoded' },
        `login=nobody${i}&password=wrong`,
      );
      statuses.push(answer.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });

  it('counts every vote once when both processes write at once', { timeout: 60_000 }, async () => {
    const results = await Promise.all(
      tokens.map((token) =>
        send('POST', '/api/papers/2511.00001/upvote', { authorization: `Bearer ${token}` }),
      ),
    );
    expect(results.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.body}`)).toEqual([]);
    expect(
      await count(store, sql<{ n: number }>`SELECT upvotes AS n FROM papers WHERE id = '2511.00001'`),
    ).toBe(3 + MEMBERS);
  });

  it('replaces a web process that dies, and keeps answering meanwhile', { timeout: 60_000 }, async () => {
    const [victim, survivor] = childrenOf(primary.pid!);
    process.kill(victim!, 'SIGKILL');
    // once the primary has reaped it (it hands no more connections to it then), the other process answers
    // while the primary forks a replacement
    await until(() => !childrenOf(primary.pid!).includes(victim!), 'the primary to notice');
    expect((await send('GET', '/api/daily_papers?limit=1')).status).toBe(200);
    await until(() => {
      const now = childrenOf(primary.pid!);
      return now.length === 2 && now.includes(survivor!) && !now.includes(victim!);
    }, 'a new web process');
    await until(answers, 'the site to answer');
    const statuses = await Promise.all(Array.from({ length: 10 }, () => send('GET', '/')));
    expect(statuses.map((s) => s.status)).toEqual(Array(10).fill(200));
  });

  it('stops every process on SIGTERM, with exit code 0', { timeout: 30_000 }, async () => {
    const web = childrenOf(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of web) expect(() => process.kill(pid, 0)).toThrow();
  });
});
