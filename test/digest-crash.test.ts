import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteImportWriter } from '../src/ingest/import.sqlite.ts';
import { childEnv, ROOT } from './helpers/cli.ts';
import { paperRecord } from './helpers/factories.ts';
import { startSmtpPeer } from './helpers/smtp-peer.ts';
import { createTestStore, type TestStore } from './helpers/store.ts';

const SUBSCRIBERS = 1000;
let store: TestStore;
let peer: Awaited<ReturnType<typeof startSmtpPeer>>;

beforeAll(async () => {
  store = await createTestStore();
  peer = await startSmtpPeer();
  createSqliteImportWriter(store.sqlite).writeHfBatch(
    [1, 2, 3].map((i) => ({
      paper: paperRecord({ id: `2611.1000${i}` }),
      feature: { day: '2026-11-26', submittedAt: '2026-11-26T09:00:00.000Z', submitter: 'ak' },
      upvotes: i * 10,
      githubStars: null,
      aiSummary: null,
      aiSummaryModel: null,
      aiKeywords: [],
    })),
  );
  const insert = store.sqlite.prepare(
    "INSERT INTO subscriptions (email, frequency, status, created_at, confirmed_at) VALUES (?, 'daily', 'confirmed', ?, ?)",
  );
  const now = new Date().toISOString();
  store.sqlite.transaction(() => {
    for (let i = 0; i < SUBSCRIBERS; i++) insert.run(`reader${i}@example.org`, now, now);
  })();
  await store.close();
});
afterAll(async () => {
  await peer.close();
  await store.dispose();
});

describe('digest sending under kill -9', () => {
  it('gives every confirmed subscriber exactly one digest for the period', { timeout: 180_000 }, async () => {
    const env = childEnv({
      DATABASE_URL: `sqlite:${join(store.dir, 'paperboy.db')}`,
      DATA_DIR: store.dir,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(peer.port),
      SMTP_TLS: 'none',
      DIGEST_RATE_PER_SECOND: '2000',
    });
    const args = ['bin/paperboy.js', 'digest', 'send', '--period', 'daily:2026-11-26'];
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'ignore' });
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    const deadline = Date.now() + 60_000;
    while (peer.received.length < SUBSCRIBERS / 3 && Date.now() < deadline && !exited)
      await new Promise((r) => setTimeout(r, 5));
    expect(exited, 'the send ended before it could be killed').toBe(false);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atKill = peer.received.length;
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(SUBSCRIBERS);

    // not spawnSync: the SMTP peer runs in this process and must keep answering
    const rerun = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    rerun.stdout.on('data', (d) => {
      output += d;
    });
    rerun.stderr.on('data', (d) => {
      output += d;
    });
    expect(await new Promise((r) => rerun.once('exit', r)), output).toBe(0);
    expect(output).toMatch(/\d+ sent, 0 skipped .* 0 failed/);
    // let the peer finish reading the last messages
    await new Promise((r) => setTimeout(r, 300));

    const byRecipient = new Map<string, string[]>();
    for (const m of peer.received)
      for (const to of m.to) byRecipient.set(to, [...(byRecipient.get(to) ?? []), m.mail.messageId ?? '']);
    expect(byRecipient.size).toBe(SUBSCRIBERS);
    // as a mailbox sees it (one message per Message-ID): exactly one digest each
    for (const ids of byRecipient.values()) expect(new Set(ids).size).toBe(1);
    // on the wire: at most the messages in flight when the process died went out twice, with the same Message-ID
    const duplicates = [...byRecipient.values()].filter((ids) => ids.length > 1);
    expect(duplicates.length).toBeLessThanOrEqual(3);
    expect(peer.received.length).toBe(SUBSCRIBERS + duplicates.length);
  });
});
