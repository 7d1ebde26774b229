import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer } from '../src/app/server.ts';
import { createTestApp } from './helpers/app.ts';
import { paperRecord, seedPapers } from './helpers/factories.ts';
import { TestClient } from './helpers/session.ts';
import { createStoreUnderTest, type StoreUnderTest } from './helpers/store-under-test.ts';

/**
 * Headers are input (issue 19): malformed, repeated, huge or missing headers, sent over a real socket to the
 * real server, get a 4xx or the normal answer, never a 500 or a stack trace. Bodies past MAX_BODY_KB get 413.
 */

interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends bytes as they are (no client library to tidy them up) and reads the answer until the server closes
 * the connection (every request says `Connection: close`).
 */
function raw(port: number, request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body });
    });
    // write, not end: a half-closed socket lets the server drop the answer of a slow request (a login's hash)
    socket.write(request);
  });
}

const HUGE = 'x'.repeat(6000);
const STACK = /\n\s+at .+:\d+:\d+|node_modules|SQLITE_|syntax error at|TypeError|RangeError/;

let store: StoreUnderTest;
let servers: { port: number; close(): Promise<void> }[];
let paperId: string;
let member: TestClient;
let app: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  store = await createStoreUnderTest();
  const paper = paperRecord();
  paperId = paper.id;
  await seedPapers(store, [paper]);
  servers = [];
  for (const trustProxy of ['true', 'false']) {
    const test = await createTestApp(store, { TRUST_PROXY: trustProxy, MAX_BODY_KB: '64' });
    const started = await startServer({ ...test.deps, config: { ...test.deps.config, PORT: 0 } });
    servers.push({
      port: (started.server.address() as AddressInfo).port,
      close: () => started.drain(1000),
    });
  }
  app = await createTestApp(store, { MAX_BODY_KB: '64' });
  member = await new TestClient(app).signUp('header_member');
});

afterAll(async () => {
  for (const s of servers ?? []) await s.close();
  await store?.dispose();
});

/** Header lines to try, each replacing or adding to a normal request's headers. */
function hostileHeaders(): [string, string[]][] {
  return [
    ['missing Host', []],
    ['empty Host', ['Host: ']],
    ['Host with a space', ['Host: a b']],
    ['Host unclosed IPv6', ['Host: [::1']],
    ['Host of another site', ['Host: evil.example']],
    ['huge Host', [`Host: ${HUGE}`]],
    ['two Hosts', ['Host: localhost', 'Host: evil.example']],
    ['Referer not a URL', ['Referer: not a url']],
    ['Referer unclosed IPv6', ['Referer: http://[']],
    ['Referer javascript', ['Referer: javascript:alert(1)']],
    ['huge Referer', [`Referer: http://localhost/${HUGE}`]],
    ['Origin null', ['Origin: null']],
    ['Origin garbage', ['Origin: http://[']],
    ['two Origins', ['Origin: http://paperboy.test', 'Origin: http://evil.example']],
    ['Cookie bad percent', ['Cookie: pb_session=%E0%A4%A']],
    ['Cookie huge', [`Cookie: pb_session=${HUGE}`]],
    ['Cookie no names', ['Cookie: =;;;=; ;=x']],
    ['Cookie quote', ['Cookie: pb_session="']],
    ['Cookie twice', ['Cookie: pb_session=a', 'Cookie: pb_session=b']],
    ['Content-Type garbage', ['Content-Type: \u007f;;;===']],
    ['multipart without boundary', ['Content-Type: multipart/form-data']],
    ['multipart bad boundary', ['Content-Type: multipart/form-data; boundary=zzz']],
    ['JSON declared', ['Content-Type: application/json']],
    ['form in utf-7', ['Content-Type: application/x-www-form-urlencoded; charset=utf-7']],
    ['Accept markdown', ['Accept: text/markdown']],
    ['Accept garbage', ['Accept: */*;q=abc, ;;, text/html;level=']],
    ['huge Accept', [`Accept: ${HUGE}`]],
    ['If-None-Match star', ['If-None-Match: *']],
    ['If-None-Match quote', ['If-None-Match: "']],
    ['If-None-Match huge', [`If-None-Match: "${HUGE}"`]],
    ['If-None-Match twice', ['If-None-Match: "a"', 'If-None-Match: W/"b"']],
    ['X-Forwarded-For empty', ['X-Forwarded-For: ']],
    ['X-Forwarded-For garbage', ['X-Forwarded-For: not-an-ip, , ,']],
    ['X-Forwarded-For huge', [`X-Forwarded-For: ${HUGE}`]],
    ['X-Forwarded-For twice', ['X-Forwarded-For: 1.1.1.1', 'X-Forwarded-For: 2.2.2.2']],
    ['Authorization bare Bearer', ['Authorization: Bearer']],
    ['Authorization huge', [`Authorization: Bearer ${HUGE}`]],
    ['Authorization Basic', ['Authorization: Basic Zm9vOmJhcg==']],
    ['X-Request-Id hostile', ['X-Request-Id: <script>alert(1)</script>']],
    ['HX-Request', ['HX-Request: true']],
  ];
}

const BODY = 'login=someone&password=wrong&next=%2F%09%2Fevil.example%2F&_csrf=x&body=hello';

describe('hostile headers over a real socket', () => {
  const targets = () => [
    ['GET', '/'],
    ['GET', `/papers/${paperId}`],
    ['GET', `/papers/${paperId}.md`],
    ['GET', '/api/daily_papers'],
    ['GET', '/api/papers/search?q=paper'],
    ['GET', '/feeds/daily.xml'],
    ['POST', '/login'],
    ['POST', '/settings/profile'],
    ['POST', `/api/papers/${paperId}/comment`],
    ['POST', '/subscribe'],
  ];

  test('every header case on every target: a 4xx or the normal answer, never a 500', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const server of servers) {
      for (const [method, path] of targets()) {
        for (const [name, lines] of hostileHeaders()) {
          const replaced = new Set(lines.map((l) => l.split(':')[0]!.toLowerCase()));
          const base = [
            ['host', `Host: localhost:${server.port}`],
            ['content-type', 'Content-Type: application/x-www-form-urlencoded'],
          ]
            .filter(([key]) => !replaced.has(key!) && !(name === 'missing Host' && key === 'host'))
            .map(([, line]) => line!);
          const body = method === 'POST' ? BODY : '';
          const head = [
            `${method} ${path} HTTP/1.1`,
            ...base,
            ...lines,
            'Connection: close',
            ...(method === 'POST' ? [`Content-Length: ${Buffer.byteLength(body)}`] : []),
          ];
          const answer = await raw(server.port, `${head.join('\r\n')}\r\n\r\n${body}`);
          tried++;
          if (answer.status === 0 || answer.status >= 500 || STACK.test(answer.body))
            failures.push(`${method} ${path} [${name}] → ${answer.status} ${answer.body.slice(0, 200)}`);
          const location = /\r\nlocation: ([^\r]*)/i.exec(answer.head)?.[1];
          if (location && new URL(location, 'http://localhost').host !== 'localhost')
            failures.push(`${method} ${path} [${name}] → redirect off the site: ${location}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBe(2 * targets().length * hostileHeaders().length);
  });

  test('malformed or conflicting Content-Length is refused by the HTTP parser with 400', async () => {
    const port = servers[0]!.port;
    for (const lengths of [['abc'], ['-1'], ['99999999999999999999'], ['5', '7'], ['1e3']]) {
      const head = ['POST /login HTTP/1.1', `Host: localhost:${port}`, 'Connection: close'];
      for (const l of lengths) head.push(`Content-Length: ${l}`);
      const answer = await raw(port, `${head.join('\r\n')}\r\n\r\nlogin=a`);
      expect(answer.status, `Content-Length ${lengths.join(', ')}`).toBe(400);
    }
  });

  test('headers past the server limit get 431, not a crash', async () => {
    const port = servers[0]!.port;
    const lines = Array.from({ length: 40 }, (_, i) => `X-Filler-${i}: ${HUGE}`);
    const answer = await raw(port, `GET / HTTP/1.1\r\nHost: localhost\r\n${lines.join('\r\n')}\r\n\r\n`);
    expect(answer.status).toBe(431);
  });

  test('every answer carries a request id; a proxy’s plain id is kept only behind TRUST_PROXY', async () => {
    const [trusting, untrusting] = servers;
    const ask = (port: number, id: string) =>
      raw(port, `GET /about HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n`);
    const idOf = (a: RawAnswer) => /\r\nx-request-id: ([^\r]*)/i.exec(a.head)?.[1];
    expect(idOf(await ask(trusting!.port, 'proxy-42.a'))).toBe('proxy-42.a');
    expect(idOf(await ask(trusting!.port, '<b>'))).toMatch(/^[0-9a-f]{16}$/);
    expect(idOf(await ask(untrusting!.port, 'proxy-42.a'))).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('body limits: 413 on every kind of body, before it is read', () => {
  const big = 'a'.repeat(80 * 1024);
  test.each([
    ['a form', 'application/x-www-form-urlencoded', `login=${big}`],
    ['JSON', 'application/json', JSON.stringify({ comment: big })],
    [
      'multipart',
      'multipart/form-data; boundary=b',
      `--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n${big}\r\n--b--\r\n`,
    ],
    ['plain text', 'text/plain', big],
  ])('%s past MAX_BODY_KB', async (_kind, type, body) => {
    for (const path of ['/login', `/api/papers/${paperId}/comment`, '/settings/profile', '/no-such-route']) {
      const res = await member.request(path, {
        method: 'POST',
        body,
        headers: { 'content-type': type, origin: 'http://paperboy.test', 'x-csrf-token': member.csrf },
      });
      expect(res.status, path).toBe(413);
      expect(await res.text()).toMatch(/larger than 64 KB/);
    }
  });

  test('a chunked body with no Content-Length is cut off at the limit too', async () => {
    const port = servers[0]!.port;
    const chunk = 'a'.repeat(16 * 1024);
    const chunks = Array.from({ length: 6 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const answer = await raw(
      port,
      `POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunks}0\r\n\r\n`,
    );
    expect(answer.status).toBe(413);
  });

  test('a body under the limit is read as usual', async () => {
    const res = await new TestClient(app).post('/login', { login: 'nobody', password: 'x'.repeat(1000) });
    expect(res.status).toBe(401);
  });
});

describe('the three examples of issue 19', () => {
  test('POST /login with next=/<TAB>/evil.example/ (and its relatives) redirects on the site', async () => {
    const client = await new TestClient(app).signUp('next_tester');
    await client.request('/logout', { method: 'POST', headers: { 'x-csrf-token': client.csrf } });
    for (const next of ['/\t/evil.example/', '/%09/evil.example', '/.//evil.example', '/@evil.example']) {
      const login = new TestClient(app);
      await login.page('/login');
      const res = await login.post('/login', {
        login: 'next_tester',
        password: 'correct horse battery',
        next,
      });
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(new URL(location, 'http://paperboy.test/login').host, `next=${JSON.stringify(next)}`).toBe(
        'paperboy.test',
      );
    }
  });

  test('POST /login with a newline or CR LF in next: a redirect, not a 500', async () => {
    for (const next of ['/a\nb', '/a\r\nSet-Cookie: x=1', '\r\n']) {
      const res = await new TestClient(app).post('/login', {
        login: 'next_tester',
        password: 'correct horse battery',
        next,
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).not.toMatch(/[\r\n]/);
      expect(res.headers.get('set-cookie') ?? '').not.toMatch(/x=1/);
    }
  });

  test('an anonymous POST /settings/profile whose Referer is not a URL goes to the login page', async () => {
    for (const referer of ['not a url', 'http://[', '//evil.example/x', 'http://evil.example/settings']) {
      const res = await new TestClient(app).request('/settings/profile', {
        method: 'POST',
        body: new URLSearchParams({ display_name: 'x' }),
        headers: { referer, 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status, referer).toBe(303);
      expect(res.headers.get('location')).toBe('/login?next=%2F');
    }
    const res = await new TestClient(app).request('/settings/profile', {
      method: 'POST',
      headers: { referer: 'http://paperboy.test/papers?x=1' },
    });
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/papers?x=1')}`);
  });
});
