import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiToken } from '../src/users/users.store.ts';
import { createTestApp } from './helpers/app.ts';
import { seedFeatures } from './helpers/factories.ts';
import { routeParts } from './helpers/route-table.ts';
import { TestClient } from './helpers/session.ts';
import {
  createStoreUnderTest,
  rows,
  type StoreUnderTest,
  sql,
  TEST_ENGINE,
} from './helpers/store-under-test.ts';

/**
 * Every write route, fuzzed (issue 19). The routes come from the app's own route table, so a new POST, PUT,
 * PATCH or DELETE route is covered without editing this file; a path parameter this file cannot fill fails the
 * test rather than being skipped. Each route is sent anonymously, signed in with and without the CSRF token,
 * and with an API token, with hostile values in every field any route reads. Every answer must be < 500, show
 * no stack trace or SQL, echo no markup unescaped into HTML, redirect only on the site, and a refused request
 * must leave the database exactly as it was.
 */

const ORIGIN = 'http://paperboy.test';
const MARKUP = '<script>alert("pb-xss")</script><img src=x onerror=alert(1)>';
const LEAKS =
  /\n\s+at \S+ \(|node_modules|SQLITE_|SqliteError|syntax error at|violates .* constraint|duplicate key|SELECT \S+.* FROM |INSERT INTO |\bat async /;

/**
 * What a refused request may change by design: the rate limiter's windows (a table on PostgreSQL) count refused
 * requests too, and an API token's last use is recorded whatever the answer.
 */
const BOOKKEEPING = new Set(['rate_limits']);
const BOOKKEEPING_COLUMNS: Record<string, string[]> = { api_tokens: ['last_used_at'] };

/**
 * Every form or JSON field name the source reads: `form.x`, `json.x`, `body.x`, `name="x"` and zod object
 * keys. Read from src/ so a new field is fuzzed without editing this file.
 */
function fieldNames(): string[] {
  const names = new Set<string>(['_csrf']);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.includes('.test.')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(
          /\b(?:form|json|body|fields)\.([a-z_][a-z0-9_]*)\b|name="([a-z_][a-z0-9_]*)"|^\s+([a-z_][a-z0-9_]*): z\./gm,
        ))
          names.add(m[1] ?? m[2] ?? m[3]!);
      }
    }
  };
  walk(join(import.meta.dirname, '../src'));
  for (const builtIn of ['length', 'replace', 'trim', 'slice', 'split', 'map', 'filter', 'get', 'text'])
    names.delete(builtIn);
  return [...names].sort();
}

type Value = string | string[] | number | object;

/** The hostile kinds: each request puts one of them in every field. */
const KINDS: [string, Value][] = [
  ['empty', ''],
  ['huge', 'x'.repeat(4000)],
  ['NUL', 'a\u0000b'],
  ['array', ['one', 'two']],
  ['number out of range', '-99999999999999999999999'],
  ['not a number', 'NaN'],
  ['markup', MARKUP],
  ['SQL', "' OR 1=1; DROP TABLE papers; --"],
  ['another site', '/\t/evil.example/'],
  ['CR LF', '/x\r\nSet-Cookie: pb_session=stolen'],
  ['path', '../../../etc/passwd%2F..%00'],
  ['unicode', '\u202e\ud83d\ude00e\u0301\ud800\uffff'],
  // JSON.parse makes "__proto__" an own key, as a hostile client's JSON would
  ['object', JSON.parse('{"toString": "x", "__proto__": {"role": "admin"}, "length": -1}')],
];

/** A form body with every field; `invalidUtf8` writes raw bytes no UTF-8 decoder accepts. */
function formBody(fields: string[], value: Value, csrf: string | null, invalidUtf8 = false): string {
  const parts: string[] = [];
  if (csrf) parts.push(`_csrf=${encodeURIComponent(csrf)}`);
  for (const f of fields) {
    if (f === '_csrf') continue;
    if (invalidUtf8) parts.push(`${f}=%FF%FE%C3%28%E0%80`);
    else
      for (const v of Array.isArray(value)
        ? value
        : [typeof value === 'object' ? JSON.stringify(value) : String(value)])
        parts.push(new URLSearchParams([[f, v]]).toString());
  }
  return parts.join('&');
}

function jsonBody(fields: string[], value: Value): string {
  return JSON.stringify(Object.fromEntries(fields.filter((f) => f !== '_csrf').map((f) => [f, value])));
}

const HOSTILE_SEGMENTS = [
  '0',
  '-1',
  '99999999999999999999',
  'abc',
  '%3Cscript%3E',
  "1'%20OR%20'1'='1",
  '..%2F..%2Fetc',
  '%E0%A4%A',
];

let store: StoreUnderTest;
let app: Awaited<ReturnType<typeof createTestApp>>;
let paperId: string;
/** Values for plain path parameters, by name: the first is used with the hostile fields, the rest are tried too. */
let good: Record<string, string[]>;
let apiToken: string;
let admin: TestClient;

beforeAll(async () => {
  store = await createStoreUnderTest();
  app = await createTestApp(store, {
    VOTES_PER_MINUTE: '1000000',
    COMMENTS_PER_MINUTE: '10000',
    SUBMIT_DAILY_LIMIT: '1000',
    ADD_PAPER_LIMIT_PER_HOUR: '10000',
    ARXIV_LOOKUPS_ENABLED: 'false',
    HARVEST_ENABLED: 'false',
  });
  const [paper] = await seedFeatures(store, [{ day: '2025-01-10', upvotes: 3 }]);
  paperId = paper!.id;
  admin = await new TestClient(app).signUp('fuzz_admin');
  const member = await new TestClient(app).signUp('fuzz_member');
  await member.page(`/papers/${paperId}`);
  const commented = await member.post(`/papers/${paperId}/comments`, { body: 'A first comment.' });
  expect(commented.status).toBe(303);
  const made = await admin.post('/collections', { name: 'Fuzz list', description: '' });
  expect(made.status).toBe(303);
  // a team with a member, so the team routes reach real rows
  expect((await admin.post('/teams', { name: 'Fuzz team', slug: 'fuzz-team' })).status).toBe(303);
  expect((await admin.post('/teams/fuzz-team/members', { username: 'fuzz_member' })).status).toBe(303);
  const [user] = await rows<{ id: number }>(store, sql`SELECT id FROM users WHERE username = 'fuzz_admin'`);
  apiToken = await createApiToken(store.db, user!.id, 'fuzz');
  good = {
    id: ['1'],
    parent: ['1'],
    username: ['fuzz_member', 'fuzz_admin'],
    action: ['ban', 'unban', 'moderator', 'member', 'promote'],
    token: ['not-a-token'],
    slug: ['fuzz-team', 'no-such-team'],
    day: ['2025-01-10'],
    week: ['2025-W02'],
  };
}, 60_000);

afterAll(async () => {
  await store?.dispose();
});

/** Every table's rows, hashed: what "the database is unchanged" compares. */
async function snapshot(): Promise<Map<string, string>> {
  const tables =
    TEST_ENGINE === 'sqlite'
      ? await rows<{ name: string }>(
          store,
          sql`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%'`,
        )
      : await rows<{ name: string }>(
          store,
          sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
        );
  const out = new Map<string, string>();
  for (const { name } of tables) {
    if (BOOKKEEPING.has(name)) continue;
    const all = await rows<Record<string, unknown>>(store, sql`SELECT * FROM ${sql.table(name)}`);
    for (const column of BOOKKEEPING_COLUMNS[name] ?? []) for (const r of all) delete r[column];
    const lines = all
      .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v)))
      .sort();
    out.set(name, `${all.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`);
  }
  return out;
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
}

type Auth = 'anonymous' | 'session' | 'session without CSRF' | 'API token';

/** Instances of a route path: the good one first, then each parameter in turn given each hostile segment. */
function pathsFor(route: string): string[] {
  const parts = routeParts(route);
  const goodValue = (name: string, pattern: string | null): string[] => {
    if (pattern === null) {
      if (!(name in good)) throw new Error(`${route}: no value for :${name}; add one to "good" in this test`);
      return good[name]!;
    }
    if (new RegExp(`^(?:${pattern})$`).test(paperId)) return [paperId];
    if (/^[\w-]+(\|[\w-]+)*$/.test(pattern)) return pattern.split('|');
    throw new Error(`${route}: no value for :${name}{${pattern}}; teach this test one`);
  };
  const build = (choice: Map<number, string>) =>
    parts.map((p, i) => ('literal' in p ? p.literal : choice.get(i)!)).join('');
  const base = new Map<number, string>();
  parts.forEach((p, i) => {
    if (!('literal' in p)) base.set(i, goodValue(p.name, p.pattern)[0]!);
  });
  const paths = [build(base)];
  parts.forEach((p, i) => {
    if ('literal' in p) return;
    const alternatives = goodValue(p.name, p.pattern).slice(1);
    const hostile = p.pattern === null ? HOSTILE_SEGMENTS : HOSTILE_SEGMENTS.slice(0, 3);
    for (const v of [...alternatives, ...hostile]) paths.push(build(new Map(base).set(i, v)));
  });
  return paths;
}

test('every write route of the route table: hostile input never gives a 500, a leak or a half-write', async () => {
  const fields = fieldNames();
  expect(fields.length).toBeGreaterThan(20);
  const writeRoutes = [
    ...new Map(
      app.routes
        .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
        .map((r) => [`${r.method} ${r.path}`, r] as const),
    ).values(),
  ].sort((a, b) => Number(a.path === '/logout') - Number(b.path === '/logout'));
  expect(writeRoutes.length).toBeGreaterThan(30);

  const failures: string[] = [];
  let sent = 0;
  let address = 0;
  let before = await snapshot();
  const statuses: Record<string, number[]> = {};
  /** The admin stays a signed-in admin with a working API token whatever a route did (log out, demote, revoke). */
  const restoreAdmin = async () => {
    await sql`UPDATE users SET role = 'admin', banned_at = NULL WHERE username = 'fuzz_admin'`.execute(
      store.db,
    );
    const settings = await admin.page('/settings');
    if (settings.status !== 200) {
      admin.cookie = '';
      await admin.page('/login');
      const res = await admin.post('/login', { login: 'fuzz_admin', password: 'correct horse battery' });
      expect(res.status).toBe(303);
      await admin.page('/settings');
    }
    before = await snapshot();
  };
  const send = async (
    label: string,
    method: string,
    path: string,
    auth: Auth,
    body: string,
    type: string,
  ) => {
    const headers: Record<string, string> = {
      'content-type': type,
      origin: ORIGIN,
      // a fresh address per request: the per-address limits would otherwise answer 429 to everything after a few
      'x-forwarded-for': `10.${(++address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
    };
    if (auth === 'session' || auth === 'session without CSRF') headers.cookie = admin.cookie;
    if (auth === 'session') headers['x-csrf-token'] = admin.csrf;
    if (auth === 'API token') headers.authorization = `Bearer ${apiToken}`;
    const res = await app.request(path, { method, body, headers, redirect: 'manual' });
    const text = await res.text();
    sent++;
    const key = `${method} ${path.slice(0, 60)}`;
    statuses[key] = [...(statuses[key] ?? []), res.status];
    const where = `${method} ${path.slice(0, 120)} [${auth}, ${label}] → ${res.status}`;
    if (res.status >= 500) failures.push(`${where}: ${text.slice(0, 300)}`);
    if (LEAKS.test(text)) failures.push(`${where} shows internals: ${text.match(LEAKS)![0]}`);
    if (
      (res.headers.get('content-type') ?? '').includes('html') &&
      /<script>alert\("pb-xss"\)|<img src=x/.test(text)
    )
      failures.push(`${where} echoes markup unescaped`);
    const location = res.headers.get('location');
    if (location && new URL(location, `${ORIGIN}${path}`).origin !== ORIGIN)
      failures.push(`${where} redirects off the site: ${location}`);
    if (auth === 'session without CSRF' && res.status !== 403) failures.push(`${where}: expected 403`);
    const refused = res.status >= 400 || (auth === 'anonymous' && (location ?? '').startsWith('/login'));
    const after = await snapshot();
    if (refused) {
      const changed = changedTables(before, after);
      if (changed.length > 0) failures.push(`${where} was refused but changed ${changed.join(', ')}`);
    }
    before = after;
  };

  for (const route of writeRoutes) {
    const paths = pathsFor(route.path);
    const api = route.path.startsWith('/api/');
    for (const auth of ['anonymous', 'session', 'session without CSRF', 'API token'] as Auth[]) {
      await restoreAdmin();
      const csrf = auth === 'session' ? admin.csrf : null;
      const kinds = auth === 'session without CSRF' ? KINDS.slice(0, 2) : KINDS;
      for (const [label, value] of kinds) {
        const form = 'application/x-www-form-urlencoded';
        await send(label, route.method, paths[0]!, auth, formBody(fields, value, csrf), form);
        if (api)
          await send(
            `${label} as JSON`,
            route.method,
            paths[0]!,
            auth,
            jsonBody(fields, value),
            'application/json',
          );
      }
      if (auth === 'session without CSRF') continue;
      const form = 'application/x-www-form-urlencoded';
      await send('invalid UTF-8', route.method, paths[0]!, auth, formBody(fields, '', csrf, true), form);
      await send(
        'invalid JSON',
        route.method,
        paths[0]!,
        auth,
        '{"comment": "unterminated',
        'application/json',
      );
      await send('JSON array', route.method, paths[0]!, auth, '[1, {"a": null}]', 'application/json');
      await send(
        'bad multipart',
        route.method,
        paths[0]!,
        auth,
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nv',
        'multipart/form-data; boundary=x',
      );
      for (const path of paths.slice(1))
        await send('hostile path', route.method, path, auth, formBody(fields, 'x', csrf), form);
    }
    // and a few random mixes: some fields, any strings
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...fields), fc.string({ unit: 'binary', maxLength: 60 }), {
          maxKeys: 6,
        }),
        async (values) => {
          const body = new URLSearchParams({ ...values, _csrf: admin.csrf }).toString();
          await send('random', route.method, paths[0]!, 'session', body, 'application/x-www-form-urlencoded');
        },
      ),
      { numRuns: 4, seed: 19 },
    );
  }
  if (process.env.FUZZ_REPORT)
    for (const [route, codes] of Object.entries(statuses)) {
      const tally = new Map<number, number>();
      for (const code of codes) tally.set(code, (tally.get(code) ?? 0) + 1);
      console.log(route, [...tally].map(([code, n]) => `${code}×${n}`).join(' '));
    }
  expect(failures).toEqual([]);
  expect(sent).toBeGreaterThan(writeRoutes.length * 40);
}, 600_000);
