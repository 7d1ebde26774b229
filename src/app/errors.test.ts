import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { createStoreUnderTest, type StoreUnderTest } from '../../test/helpers/store-under-test.ts';

/** Errors are logged, not shown: the page and the log line share the request id, and nothing else leaks. */
let store: StoreUnderTest;
let app: Awaited<ReturnType<typeof createTestApp>>;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  store = await createStoreUnderTest();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  app = await createTestApp(store, {}, { log: pino({ level: 'info' }, sink) });
  // a route that fails the way a bug would, holding a secret in its path and its message
  const fail = () => {
    throw new Error('db password is hunter2');
  };
  app.get('/subscription-test/:token/boom', fail);
  app.get('/api/boom', fail);
});

afterAll(async () => {
  await store?.dispose();
});

describe('an unexpected error', () => {
  test('the page names the request id and nothing of the error; the log line has the id and the error', async () => {
    const res = await app.request('/subscription-test/s3cret-token/boom');
    expect(res.status).toBe(500);
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const html = await res.text();
    expect(html).toContain(id);
    expect(html).not.toMatch(/hunter2|at .*:\d+:\d+|Error:/);
    const line = lines.find((l) => l.requestId === id)!;
    expect(line).toMatchObject({
      level: 50,
      msg: 'request failed',
      method: 'GET',
      route: '/subscription-test/:token/boom',
    });
    expect((line.err as { message: string; stack: string }).message).toBe('db password is hunter2');
    expect((line.err as { stack: string }).stack).toMatch(/errors\.test\.ts/);
    // the route pattern is logged, not the path: a secret link's token stays out of the log
    expect(JSON.stringify(lines)).not.toContain('s3cret-token');
  });

  test('an API answer is JSON with the request id', async () => {
    const res = await app.request('/api/boom');
    expect(res.status).toBe(500);
    const id = res.headers.get('x-request-id')!;
    const body = (await res.json()) as { error: string };
    expect(body.error).toBe(`internal error; it has been logged as request ${id}`);
    expect(lines.some((l) => l.requestId === id && l.route === '/api/boom')).toBe(true);
  });

  test('every answer has its own id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await app.request('/about')).headers.get('x-request-id')!);
    expect(ids.size).toBe(5);
  });
});
