import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { feedKeyOf } from '../src/users/feed-keys.store.ts';
import { createApiToken } from '../src/users/users.store.ts';
import { createTestApp } from './helpers/app.ts';
import { seedFeatures } from './helpers/factories.ts';
import { routeParts } from './helpers/route-table.ts';
import { TestClient } from './helpers/session.ts';
import { createStoreUnderTest, rows, type StoreUnderTest, sql } from './helpers/store-under-test.ts';

/**
 * PRIVATE=true (issue 17): an anonymous visitor learns nothing. Every route of the app's own route table is
 * requested anonymously, each path parameter filled with a value that finds something, and no answer may hold a
 * paper's title, abstract, author, a member's name or a comment, in HTML, JSON, feeds, `.md` or `.bib`. Then the
 * ways in: a session, an API token, and a member's secret feed key (a wrong or revoked key is refused).
 */

const TITLE = 'Quasar Zebrafish Holography';
const AUTHOR = 'Quillon Vantablack';
const ABSTRACT_WORDS = 'marmalade xylophone';
const COMMENT = 'Periwinkle comment about the holography';
const MEMBER = 'walk_member';
const ADMIN = 'walk_admin';
const TEAM = 'Walk secret team';
const SECRETS = [TITLE, AUTHOR, ABSTRACT_WORDS, COMMENT, MEMBER, ADMIN, 'Secret reading list', TEAM];

let store: StoreUnderTest;
let app: Awaited<ReturnType<typeof createTestApp>>;
let paperId: string;
let admin: TestClient;

beforeAll(async () => {
  store = await createStoreUnderTest();
  app = await createTestApp(store, {
    PRIVATE: 'true',
    HARVEST_ENABLED: 'false',
    ARXIV_LOOKUPS_ENABLED: 'false',
  });
  const [paper] = await seedFeatures(store, [
    {
      day: '2025-01-10',
      upvotes: 4,
      submitter: null,
      paper: {
        title: TITLE,
        authors: [AUTHOR, 'Jane Doe'],
        abstract: `We study ${ABSTRACT_WORDS} at scale.`,
      },
    },
  ]);
  paperId = paper!.id;
  admin = await new TestClient(app).signUp(ADMIN);
  const member = await new TestClient(app).signUp(MEMBER);
  await member.page(`/papers/${paperId}`);
  expect((await member.post(`/papers/${paperId}/comments`, { body: COMMENT })).status).toBe(303);
  expect((await member.post(`/papers/${paperId}/upvote`, {})).status).toBeLessThan(400);
  expect((await admin.post('/collections', { name: 'Secret reading list', description: '' })).status).toBe(
    303,
  );
  expect((await admin.post('/teams', { name: TEAM, slug: 'walk-team' })).status).toBe(303);
  expect((await admin.post('/teams/walk-team/members', { username: MEMBER })).status).toBe(303);
}, 60_000);

afterAll(async () => {
  await store?.dispose();
});

/** Values that reach real rows, by parameter name; patterned parameters are matched against candidates. */
function fill(route: string, good: Record<string, string>): string[] {
  const candidates = [
    paperId,
    `${paperId}.md`,
    `${paperId}.bib`,
    '1.bib',
    '1.json',
    '1.ris',
    `${ADMIN}.svg`,
    'daily',
    'approve',
    'edit',
    'ban',
  ];
  const parts = routeParts(route.replace(/\/\*$/, '/:wildcard'));
  const options = parts.map((p) => {
    if ('literal' in p) return [p.literal];
    if (p.name === 'wildcard')
      return [
        'daily.rss',
        'new.json',
        'weekly.atom',
        `search.rss?q=${encodeURIComponent(TITLE)}`,
        'topics/holography.rss',
      ];
    if (p.pattern === null) {
      if (route.startsWith('/static/')) return ['nothing-here.woff2'];
      if (!(p.name in good))
        throw new Error(`${route}: no value for :${p.name}; add one to "good" in this test`);
      return [good[p.name]!];
    }
    const re = new RegExp(`^(?:${p.pattern})$`);
    const matching = candidates.filter((c) => re.test(c));
    if (matching.length === 0) throw new Error(`${route}: no candidate matches :${p.name}{${p.pattern}}`);
    return matching;
  });
  return options.reduce<string[]>(
    (paths, opts) => paths.flatMap((prefix) => opts.map((o) => prefix + o)),
    [''],
  );
}

describe('private mode', () => {
  test('the whole route table, asked anonymously, shows no paper, name or comment', async () => {
    const { leaks, asked, statuses } = await walkAnonymously(app);
    expect(leaks).toEqual([]);
    expect(asked).toBeGreaterThan(200);
    // the walk saw refusals of each kind, not only 404s: it reached the gate on pages, the API and feeds
    expect(statuses.get(303) ?? 0).toBeGreaterThan(20);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(20);
  });

  test('the walk is not blind: on the same data without PRIVATE it finds the paper, names and comment', async () => {
    const open = await createTestApp(store, { HARVEST_ENABLED: 'false', ARXIV_LOOKUPS_ENABLED: 'false' });
    const { leaks } = await walkAnonymously(open);
    for (const secret of [TITLE, AUTHOR, COMMENT, MEMBER]) expect(leaks.join('\n')).toContain(`"${secret}"`);
    expect(leaks.some((l) => l.includes('.bib') || l.includes('.md'))).toBe(true);
    expect(leaks.some((l) => l.startsWith('GET /feeds/'))).toBe(true);
    expect(leaks.some((l) => l.startsWith('GET /api/'))).toBe(true);
  });
});

/** Asks every route of the table anonymously; returns what each answer showed that it should not. */
async function walkAnonymously(app: Awaited<ReturnType<typeof createTestApp>>) {
  const [collection] = await rows<{ id: number }>(store, sql`SELECT id FROM collections LIMIT 1`);
  const [comment] = await rows<{ id: number }>(store, sql`SELECT id FROM comments LIMIT 1`);
  const good: Record<string, string> = {
    id: String(collection!.id),
    parent: String(comment!.id),
    comment: String(comment!.id),
    username: MEMBER,
    name: encodeURIComponent(AUTHOR),
    phrase: 'holography',
    key: 'holography',
    token: 'not-a-token',
    period: 'daily',
    file: `${ADMIN}.svg`,
    action: 'ban',
    decision: 'approve',
    slug: 'walk-team',
    day: '2025-01-10',
    week: '2025-W02',
  };
  const routes = [
    ...new Map(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => [`${r.method} ${r.path}`, r] as const),
    ).values(),
  ];
  expect(routes.length).toBeGreaterThan(70);
  const leaks: string[] = [];
  const statuses = new Map<number, number>();
  let asked = 0;
  for (const route of routes) {
    const paths = [
      ...fill(route.path, good),
      ...(route.method === 'GET' ? [`${fill(route.path, good)[0]}?format=json`] : []),
    ];
    for (const path of paths) {
      for (const accept of ['text/html', 'application/json', 'text/markdown']) {
        const res = await app.request(path, {
          method: route.method,
          headers: {
            accept,
            origin: 'http://paperboy.test',
            'content-type': 'application/x-www-form-urlencoded',
          },
          ...(route.method === 'GET' || route.method === 'HEAD'
            ? {}
            : { body: `paper_id=${paperId}&q=${encodeURIComponent(TITLE)}` }),
          redirect: 'manual',
        });
        asked++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        const where = `${route.method} ${path} (${accept}) → ${res.status}`;
        for (const secret of SECRETS) if (text.includes(secret)) leaks.push(`${where} shows "${secret}"`);
        if (res.status >= 500) leaks.push(`${where}: ${text.slice(0, 200)}`);
        const location = res.headers.get('location');
        // to log in, or to the open pages: the SVG favicon, and home after logging out
        const allowed =
          location?.startsWith('/login') ||
          location === '/favicon.svg' ||
          (location === '/' && path === '/logout');
        if (location && !allowed) leaks.push(`${where} redirects to ${location}`);
      }
    }
  }
  return { leaks, asked, statuses };
}

describe('private mode, continued', () => {
  test('what stays open: the login page, the health check, robots.txt saying Disallow', async () => {
    const login = await app.request('/login');
    expect(login.status).toBe(200);
    expect(login.headers.get('x-robots-tag')).toContain('noindex');
    const health = await app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await (await app.request('/robots.txt')).text()).toContain('Disallow: /\n');
  });

  test('an anonymous page asks to log in and comes back after', async () => {
    const res = await app.request(`/papers/${paperId}?tab=comments`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent(`/papers/${paperId}?tab=comments`)}`,
    );
    const api = await app.request(`/api/papers/${paperId}`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: string }).error).toMatch(/private/);
  });

  test('a signed-in member reads everything', async () => {
    const page = await admin.page(`/papers/${paperId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(TITLE);
    expect(page.html).toContain(COMMENT);
  });

  test('an API token reads the API', async () => {
    const [user] = await rows<{ id: number }>(store, sql`SELECT id FROM users WHERE username = ${ADMIN}`);
    const token = await createApiToken(store.db, user!.id, 'walk');
    const res = await app.request(`/api/papers/${paperId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { title: string }).title).toBe(TITLE);
  });

  test('a secret feed key reads the feeds; a wrong, malformed or revoked key is refused', async () => {
    const [user] = await rows<{ id: number }>(store, sql`SELECT id FROM users WHERE username = ${MEMBER}`);
    const key = await feedKeyOf(store.db, app.deps.secret, user!.id);
    const settings = await (await new TestClient(app).signUp('walk_reader')).page('/settings');
    expect(settings.html).toMatch(/\/feeds\/daily\.rss\?key=\d+\.[\w-]{32}/);

    const feed = await app.request(`/feeds/search.rss?q=zebrafish&key=${encodeURIComponent(key)}`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain(TITLE);

    const [id, signature] = key.split('.') as [string, string];
    const forged = `${id}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [
      forged,
      `${Number(id) + 1}.${signature}`,
      'x',
      `${id}.`,
      '99999999999.abc',
      "1' OR '1'='1",
    ]) {
      const res = await app.request(`/feeds/daily.rss?key=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(401);
      expect(await res.text()).not.toContain(TITLE);
    }
    // the key opens feeds only, not pages or the API
    expect(
      (await app.request(`/papers/${paperId}?key=${encodeURIComponent(key)}`, { redirect: 'manual' })).status,
    ).toBe(303);
    expect((await app.request(`/api/papers/${paperId}?key=${encodeURIComponent(key)}`)).status).toBe(401);

    // new feed links: the old key stops working
    const member = new TestClient(app);
    await member.page('/login');
    expect((await member.post('/login', { login: MEMBER, password: 'correct horse battery' })).status).toBe(
      303,
    );
    await member.page('/settings');
    expect((await member.post('/settings/feed-key', {})).status).toBe(303);
    expect((await app.request(`/feeds/daily.rss?key=${encodeURIComponent(key)}`)).status).toBe(401);
    const fresh = await feedKeyOf(store.db, app.deps.secret, user!.id);
    expect(fresh).not.toBe(key);
    expect((await app.request(`/feeds/daily.rss?key=${encodeURIComponent(fresh)}`)).status).toBe(200);
  });
});
