import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/db/connect.ts';
import { createSqliteImportWriter } from '../src/ingest/import.sqlite.ts';
import { verifySignature } from '../src/webhooks/signature.ts';
import { createWebhook } from '../src/webhooks/webhooks.store.ts';
import { childEnv, ROOT } from './helpers/cli.ts';
import { paperRecord } from './helpers/factories.ts';
import { type LocalServer, startLocalServer } from './helpers/local-server.ts';
import { createTestStore, type TestStore } from './helpers/store.ts';

/**
 * Team chat under kill -9 (issue 17): `paperboy webhooks deliver` is killed while it posts 600 events (200 new
 * features to each of three webhooks), then run again. Every event reaches its webhook; none is lost; the only
 * posts made twice are those in flight when the process died (at most one per webhook: each webhook's posts go
 * one after another), with the same event id and body — what a receiver drops by X-Paperboy-Event-Id.
 */
const FEATURES = 200;
const HOOKS = 3;
let store: TestStore;
let peer: LocalServer;
const received: { hook: string; eventId: string; body: string; valid: boolean }[] = [];
const secrets = new Map<string, string>();

beforeAll(async () => {
  store = await createTestStore();
  peer = await startLocalServer(async (req, res, url) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const hook = url.pathname;
    const header = (name: string) => String(req.headers[name] ?? '');
    received.push({
      hook,
      eventId: header('x-paperboy-event-id'),
      body,
      valid: verifySignature(
        secrets.get(hook) ?? '',
        { timestamp: header('x-paperboy-timestamp'), signature: header('x-paperboy-signature') },
        body,
        Math.floor(Date.now() / 1000),
      ),
    });
    // a chat service takes a moment to answer
    await new Promise((r) => setTimeout(r, 2));
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  const added = new Date(Date.now() - 3_600_000);
  for (let i = 0; i < HOOKS; i++) {
    const secret = `secret-${i}`.repeat(4);
    secrets.set(`/hook/${i}`, secret);
    await createWebhook(store.db, {
      name: `hook ${i}`,
      kind: 'json',
      url: `${peer.origin}/hook/${i}`,
      secret,
      events: ['daily-top', 'feature'],
      createdBy: null,
      now: added,
    });
  }
  const today = new Date().toISOString().slice(0, 10);
  createSqliteImportWriter(store.sqlite).writeHfBatch(
    Array.from({ length: FEATURES }, (_, i) => ({
      paper: paperRecord({ id: `2612.${String(i).padStart(5, '0')}` }),
      feature: { day: today, submittedAt: `${today}T00:00:01.000Z`, submitter: 'ak' },
      upvotes: i,
      githubStars: null,
      aiSummary: null,
      aiSummaryModel: null,
      aiKeywords: [],
    })),
  );
  await store.close();
}, 60_000);
afterAll(async () => {
  await peer.close();
  await store.dispose();
});

describe('webhook posting under kill -9', () => {
  it('gives every webhook every event, and repeats only what was in flight', {
    timeout: 180_000,
  }, async () => {
    const env = childEnv({
      DATABASE_URL: `sqlite:${join(store.dir, 'paperboy.db')}`,
      DATA_DIR: store.dir,
      BASE_URL: 'http://paperboy.test',
      // yesterday is settled and has no features: only feature events
      DIGEST_DAILY_HOUR: '0',
      DIGEST_TIMEZONE: 'UTC',
      // a lease is the timeout + 5 s: the second run waits that long for the posts the first had in flight
      WEBHOOK_TIMEOUT_SECONDS: '1',
    });
    const args = ['bin/paperboy.js', 'webhooks', 'deliver'];
    const total = FEATURES * HOOKS;
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'ignore' });
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    const deadline = Date.now() + 60_000;
    while (received.length < total / 3 && Date.now() < deadline && !exited)
      await new Promise((r) => setTimeout(r, 2));
    expect(exited, 'the run ended before it could be killed').toBe(false);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atKill = received.length;
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total);

    // not spawnSync: the peer runs in this process and must keep answering
    const rerun = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    rerun.stdout.on('data', (d) => {
      output += d;
    });
    rerun.stderr.on('data', (d) => {
      output += d;
    });
    expect(await new Promise((r) => rerun.once('exit', r)), output).toBe(0);
    expect(output).toMatch(/Webhooks: 0 queued, \d+ delivered, 0 retrying, 0 failed\./);

    expect(received.every((r) => r.valid)).toBe(true);
    const byEvent = new Map<string, string[]>();
    for (const r of received) {
      const key = `${r.hook} ${r.eventId}`;
      byEvent.set(key, [...(byEvent.get(key) ?? []), r.body]);
    }
    // nothing lost: every (webhook, feature) once, as a receiver that drops repeated event ids sees it
    const expected = [];
    for (let h = 0; h < HOOKS; h++)
      for (let i = 0; i < FEATURES; i++)
        expected.push(`/hook/${h} feature:2612.${String(i).padStart(5, '0')}`);
    expect([...byEvent.keys()].sort()).toEqual(expected.sort());
    // on the wire: at most the posts in flight when the process died went twice, the same bytes each time
    const repeated = [...byEvent.values()].filter((bodies) => bodies.length > 1);
    expect(repeated.length).toBeLessThanOrEqual(HOOKS);
    for (const bodies of repeated) expect(new Set(bodies).size).toBe(1);
    expect(received.length).toBe(total + repeated.length);

    const reopened = openStore(`sqlite:${join(store.dir, 'paperboy.db')}`);
    const states = reopened.sqlite
      .prepare('SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status')
      .all() as { status: string; n: number }[];
    await reopened.close();
    expect(states).toEqual([{ status: 'delivered', n: total }]);
  });
});
