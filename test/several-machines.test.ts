import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer } from '../bench/peers/smtp-peer.ts';
import { childEnv, ROOT } from './helpers/cli.ts';
import { seedFeatures, seedMembersWithTokens } from './helpers/factories.ts';
import { count, createStoreUnderTest, type StoreUnderTest, sql } from './helpers/store-under-test.ts';

/**
 * Several machines on one PostgreSQL (runs in the "postgres" project only): two app processes and two workers,
 * as `paperboy serve --role web|worker`, on one database.
 */
const MEMBERS = 200;
let store: StoreUnderTest;
let peer: Awaited<ReturnType<typeof startSmtpPeer>>;
let url: string;
const tokens: string[] = [];
const processes: ChildProcess[] = [];
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

function start(role: 'web' | 'worker', port: number): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, 'bin/paperboy.js'), 'serve', '--role', role], {
    cwd: store.dir,
    env: childEnv({
      DATABASE_URL: url,
      DATA_DIR: store.dir,
      PORT: String(port || 8080),
      HARVEST_ENABLED: 'false',
      ARXIV_LOOKUPS_ENABLED: 'false',
      VOTES_PER_MINUTE: '100000',
      COMMENTS_PER_MINUTE: '10000',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(peer.port),
      SMTP_TLS: 'none',
      DIGEST_RATE_PER_SECOND: '1000',
      DIGEST_DAILY_HOUR: '0',
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  processes.push(child);
  return child;
}

/** Up to 60 s: on 2 busy cores (the whole suite at once) a process has been seen to take over 30 s to start. */
async function waitFor(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/api/daily_papers?limit=1`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`app on ${port} did not start`);
}

beforeAll(async () => {
  store = await createStoreUnderTest();
  if (store.dialect !== 'postgres') return;
  url = (store.pool.options as { connectionString: string }).connectionString;
  peer = await startSmtpPeer();
  await seedFeatures(store, [
    { day: yesterday, upvotes: 5, paper: { id: '2511.00001', title: 'The shared paper' } },
    ...Array.from({ length: 50 }, (_, i) => ({
      day: yesterday,
      upvotes: 0,
      paper: { id: `2511.${String(100 + i).padStart(5, '0')}` },
    })),
  ]);
  for (const [i, member] of (await seedMembersWithTokens(store, MEMBERS)).entries()) {
    tokens.push(member.token);
    await sql`INSERT INTO subscriptions (email, user_id, frequency, status, created_at) VALUES (${`member${i}@example.org`}, ${member.userId}, 'daily', 'confirmed', '2026-01-01')`.execute(
      store.db,
    );
  }
}, 120_000);

afterAll(async () => {
  for (const p of processes) p.kill('SIGKILL');
  await peer?.close();
  await store.dispose();
});

describe.runIf(process.env.PAPERBOY_TEST_STORE === 'postgres')('several machines on one PostgreSQL', () => {
  it('counts exactly when members vote and comment through two app processes at once', {
    timeout: 120_000,
  }, async () => {
    const ports = [31_000 + Math.floor(Math.random() * 1000), 32_000 + Math.floor(Math.random() * 1000)];
    for (const port of ports) start('web', port);
    await Promise.all(ports.map(waitFor));
    const answers = await Promise.all(
      tokens.flatMap((token, i) => {
        const base = `http://127.0.0.1:${ports[i % 2]}`;
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        return [
          fetch(`${base}/api/papers/2511.00001/upvote`, { method: 'POST', headers }),
          fetch(`${base}/api/papers/2511.00001/comment`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ comment: `note ${i}` }),
          }),
        ];
      }),
    );
    expect(answers.filter((a) => a.status >= 300).map((a) => a.status)).toEqual([]);
    expect(
      await count(store, sql<{ n: number }>`SELECT upvotes AS n FROM papers WHERE id = '2511.00001'`),
    ).toBe(5 + MEMBERS);
    expect(
      await count(store, sql<{ n: number }>`SELECT num_comments AS n FROM papers WHERE id = '2511.00001'`),
    ).toBe(MEMBERS);
    expect(await count(store, sql<{ n: number }>`SELECT count(*) AS n FROM comments`)).toBe(MEMBERS);
  });

  it('sends one digest per subscriber when both workers take the period', { timeout: 180_000 }, async () => {
    start('worker', 0);
    start('worker', 0);
    // wait until the workers have made the queue, then ask for the digest job twice at once, as two ticks would
    const boss = new PgBoss({ connectionString: url, schedule: false, supervise: false });
    await boss.start();
    for (let i = 0; i < 100 && !(await boss.getQueue('digests')); i++)
      await new Promise((r) => setTimeout(r, 100));
    await Promise.all([boss.send('digests', {}), boss.send('digests', {})]);
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline && peer.received.length < MEMBERS)
      await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3000));
    await boss.stop({ graceful: false });
    const perMember = new Map<string, number>();
    for (const m of peer.received) for (const to of m.to) perMember.set(to, (perMember.get(to) ?? 0) + 1);
    expect(perMember.size).toBe(MEMBERS);
    expect([...perMember.values()].every((n) => n === 1)).toBe(true);
    expect(
      await count(store, sql<{ n: number }>`SELECT count(*) AS n FROM digest_outbox WHERE status = 'sent'`),
    ).toBe(MEMBERS);
  });

  it('loses no acknowledged vote when one app process is killed under load', {
    timeout: 120_000,
  }, async () => {
    const ports = [33_000 + Math.floor(Math.random() * 1000), 34_000 + Math.floor(Math.random() * 1000)];
    const victim = start('web', ports[0]!);
    start('web', ports[1]!);
    await Promise.all(ports.map(waitFor));
    const acknowledged: [number, string][] = [];
    let killed = false;
    const load = tokens.map(async (token, i) => {
      for (let n = 0; n < 50; n++) {
        const paper = `2511.${String(100 + ((i + n) % 50)).padStart(5, '0')}`;
        const port = ports[(i + n) % 2]!;
        const res = await fetch(`http://127.0.0.1:${port}/api/papers/${paper}/upvote`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        }).catch(() => null);
        if (res?.status === 200) acknowledged.push([i, paper]);
        if (!killed && acknowledged.length > 2000) {
          killed = true;
          victim.kill('SIGKILL');
        }
      }
    });
    await Promise.all(load);
    expect(killed).toBe(true);
    const stored = await sql<{ username: string; paper_id: string }>`
      SELECT u.username, v.paper_id FROM votes v JOIN users u ON u.id = v.user_id WHERE v.paper_id != '2511.00001'`.execute(
      store.db,
    );
    const have = new Set(stored.rows.map((r) => `${r.username}|${r.paper_id}`));
    const lost = acknowledged.filter(([i, paper]) => !have.has(`member${i}|${paper}`));
    expect(lost).toEqual([]);
    expect(
      await count(
        store,
        sql<{
          n: number;
        }>`SELECT count(*) AS n FROM papers p WHERE p.upvotes != p.imported_upvotes + (SELECT count(*) FROM votes v WHERE v.paper_id = p.id)`,
      ),
    ).toBe(0);
  });
});
