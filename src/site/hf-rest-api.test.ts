import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures, seedPapers } from '../../test/helpers/factories.ts';
import { createStoreUnderTest, type StoreUnderTest } from '../../test/helpers/store-under-test.ts';
import { decideClaim, fileClaim } from '../authors/claims.store.ts';
import { authorKey } from '../authors/names.ts';
import { deleteOwnComment } from '../comments/comments.store.ts';
import { parseHfDailyRecord } from '../ingest/hf-daily.ts';
import { createImportWriter } from '../ingest/import.store.ts';
import { encodeCursor } from '../papers/list-cursor.ts';
import { createApiToken, createUser } from '../users/users.store.ts';

/**
 * The rest of the Hugging Face papers API (issue 17, item 6), on both engines: `organization`, `source` and the
 * claimed authors' `status`/`statusLastChangedAt` on paper objects; `GET /api/papers` by cursor; `Accept:
 * text/markdown` on a paper's URL; the comments read back.
 */
let store: StoreUnderTest;
let app: Awaited<ReturnType<typeof createTestApp>>;
let token: string;

/** newest arXiv date first; 2506.00003 and 2506.00004 share a date; 2506.00009 has none; 2506.00006 is hidden */
const DATED = [
  ['2506.00001', '2025-06-20T00:00:00.000Z'],
  ['2506.00002', '2025-06-18T00:00:00.000Z'],
  ['2506.00003', '2025-06-15T00:00:00.000Z'],
  ['2506.00004', '2025-06-15T00:00:00.000Z'],
  ['2506.00005', '2025-06-10T00:00:00.000Z'],
  ['2506.00006', '2025-06-05T00:00:00.000Z'],
  ['2506.00007', '2025-06-01T00:00:00.000Z'],
] as const;

beforeAll(async () => {
  store = await createStoreUnderTest();
  app = await createTestApp(store);
  // one at a time, so the later row of a tie is the later insert
  for (const [id, publishedAt] of DATED) {
    if (id === '2506.00002') {
      await seedFeatures(store, [
        { day: '2025-06-19', upvotes: 7, paper: { id, publishedAt, authors: ['Jane Doe', 'John Roe'] } },
      ]);
    } else await seedPapers(store, [paperRecord({ id, publishedAt })]);
  }
  await seedPapers(store, [paperRecord({ id: '2506.00009', publishedAt: null })]);
  await store.db
    .updateTable('papers')
    .set({ hidden_at: '2025-07-01T00:00:00.000Z' })
    .where('id', '=', '2506.00006')
    .execute();
  const jane = await createUser(store.db, { username: 'jane', email: 'jane@example.org', passwordHash: 'x' });
  const mod = await createUser(store.db, { username: 'mod', email: 'mod@example.org', passwordHash: 'x' });
  await fileClaim(store.db, jane.id, {
    authorKey: authorKey('Jane Doe'),
    authorName: 'Jane Doe',
    evidence: '',
  });
  const claim = await store.db.selectFrom('author_claims').select('id').executeTakeFirstOrThrow();
  expect(await decideClaim(store.db, mod.id, claim.id, true, null)).toBe('done');
  token = await createApiToken(store.db, jane.id, 'test');
});
afterAll(async () => {
  await store.dispose();
});

const json = async (path: string, init?: RequestInit) => {
  const res = await app.request(path, init);
  return { res, body: (await res.json()) as unknown };
};

describe('paper objects: organization, source, claimed authors', () => {
  it('carries the organization an imported Hugging Face record names, and keeps it when a later one does not', async () => {
    const org = 'RAIVN: Reasoning, AI, & Vision Lab @ UW';
    const line = (organization: unknown) => ({
      date: '2025-06-21',
      id: '2506.00021',
      title: 'A paper from a lab',
      summary: 'It says what it does.',
      authors: ['Ada Lovelace'],
      upvotes: 3,
      organization,
    });
    // a store of its own: the listing tests below count this file's papers
    const own = await createStoreUnderTest();
    const ownApp = await createTestApp(own);
    const get = async (path: string) => (await ownApp.request(path)).json() as Promise<unknown>;
    const parsed = parseHfDailyRecord(line(org));
    if (!parsed.ok) throw new Error(parsed.reason);
    await createImportWriter(own).writeHfBatch([parsed.value]);
    const again = parseHfDailyRecord(line(null));
    if (!again.ok) throw new Error(again.reason);
    await createImportWriter(own).writeHfBatch([again.value]);
    const body = await get('/api/papers/2506.00021');
    expect((body as { organization: unknown }).organization).toEqual({
      _id: 'org-RAIVN-Reasoning-AI-Vision-Lab-UW',
      name: 'RAIVN-Reasoning-AI-Vision-Lab-UW',
      fullname: org,
      avatar: 'http://paperboy.test/avatars/RAIVN-Reasoning-AI-Vision-Lab-UW.svg',
      avatarUrl: 'http://paperboy.test/avatars/RAIVN-Reasoning-AI-Vision-Lab-UW.svg',
    });
    const daily = await get('/api/daily_papers?date=2025-06-21');
    const [item] = daily as {
      organization: { fullname: string };
      paper: { organization: { fullname: string } };
    }[];
    expect(item!.organization.fullname).toBe(org);
    expect(item!.paper.organization.fullname).toBe(org);
    expect((await ownApp.request('/avatars/RAIVN-Reasoning-AI-Vision-Lab-UW.svg')).status).toBe(200);
    await own.dispose();
  });

  it('reads an organization from either shape and refuses what is not a name', () => {
    const record = (organization: unknown) => {
      const parsed = parseHfDailyRecord({ date: '2025-06-21', id: '2506.00022', title: 'T', organization });
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value.organization;
    };
    expect(record({ name: 'kuaishou', fullname: 'Kuaishou Technology' })).toBe('Kuaishou Technology');
    expect(record({ name: 'kuaishou' })).toBe('kuaishou');
    expect(record('  Kolors   Team  ')).toBe('Kolors Team');
    expect(record('x'.repeat(1000))).toHaveLength(200);
    for (const nothing of [null, undefined, 42, true, [], {}, { fullname: 7 }, '   ', ''])
      expect(record(nothing), JSON.stringify(nothing)).toBeNull();
  });

  it('sends them where huggingface_hub reads them (PaperInfo, PaperAuthor)', async () => {
    const { body: flat } = await json('/api/papers/2506.00002');
    const paper = flat as Record<string, unknown> & { authors: Record<string, unknown>[] };
    expect(paper.organization).toBeNull();
    expect(paper.source).toBe('arxiv');
    const [jane, john] = paper.authors;
    expect(jane).toMatchObject({ name: 'Jane Doe', status: 'claimed_verified', user: { user: 'jane' } });
    expect(jane!.statusLastChangedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // an unclaimed author carries neither, as on Hugging Face
    expect(Object.keys(john!).sort()).toEqual(['_id', 'hidden', 'name']);

    const { body: daily } = await json('/api/daily_papers?date=2025-06-19');
    const [item] = daily as (Record<string, unknown> & { paper: Record<string, unknown> })[];
    // the client reads organization and source from the top level: sent at both levels
    expect(item).toMatchObject({ organization: null, source: 'arxiv' });
    expect(item!.paper).toMatchObject({ organization: null, source: 'arxiv' });
    expect((item!.paper.authors as Record<string, unknown>[])[0]).toMatchObject({
      status: 'claimed_verified',
    });
  });
});

describe('GET /api/papers', () => {
  const walk = async (first: string) => {
    const ids: string[] = [];
    let next: string | null = first;
    for (let pages = 0; next && pages < 20; pages++) {
      const { res, body } = await json(next.replace('http://paperboy.test', ''));
      expect(res.status).toBe(200);
      ids.push(...(body as { id: string }[]).map((p) => p.id));
      const link = res.headers.get('link');
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
    }
    return ids;
  };

  it('lists every visible paper, newest arXiv date first, the undated last, following rel="next" Links', async () => {
    const expected = ['2506.00001', '2506.00002', '2506.00004', '2506.00003', '2506.00005', '2506.00007'];
    expect(await walk('/api/papers?limit=2')).toEqual([...expected, '2506.00009']);
    expect(await walk('/api/papers?limit=1')).toEqual([...expected, '2506.00009']);
    const { res, body } = await json('/api/papers');
    expect(res.headers.get('link')).toBeNull();
    expect((body as unknown[]).length).toBe(7);
    const first = await app.request('/api/papers?limit=3');
    expect(first.headers.get('link')).toMatch(
      /^<http:\/\/paperboy\.test\/api\/papers\?limit=3&cursor=[A-Za-z0-9_-]+>; rel="next"$/,
    );
  });

  it('answers each paper as /api/papers/{id} does', async () => {
    const { body } = await json('/api/papers?limit=2');
    const [, second] = body as Record<string, unknown>[];
    expect(second).toEqual((await json('/api/papers/2506.00002')).body);
    expect(second).toMatchObject({ submittedOnDailyBy: { user: 'akhaliq' }, linkedModels: [] });
  });

  it('keeps its place when papers arrive between pages', async () => {
    const { res } = await json('/api/papers?limit=2');
    const next = /^<([^>]+)>/.exec(res.headers.get('link')!)![1]!.replace('http://paperboy.test', '');
    await seedPapers(store, [paperRecord({ id: '2506.00010', publishedAt: '2025-06-30T00:00:00.000Z' })]);
    const rest = await walk(next);
    expect(rest).toEqual(['2506.00004', '2506.00003', '2506.00005', '2506.00007', '2506.00009']);
    // a cursor on the undated papers goes on among them
    const { body } = await json(
      `/api/papers?cursor=${encodeCursor({ publishedAt: null, pk: 2_147_483_647 })}`,
    );
    expect((body as { id: string }[]).map((p) => p.id)).toEqual(['2506.00009']);
  });

  it('answers 400 with {"error"} to a cursor or limit it did not make, never a 500', async () => {
    const cursors = [
      '',
      'abc',
      'x'.repeat(5000),
      encodeURIComponent("' OR 1=1 --"),
      Buffer.from('1,2025-06-01,0').toString('base64url'),
      Buffer.from('1,2025-06-01,99999999999').toString('base64url'),
      Buffer.from('1,not a date,5').toString('base64url'),
      Buffer.from('9,2025-06-01,5').toString('base64url'),
      `${encodeCursor({ publishedAt: '2025-06-01T00:00:00.000Z', pk: 3 })}%3D%3D`,
      '%F0%9F%92%A9',
      '%E0%A4%A',
    ];
    const limits = ['0', '101', '-1', '1.5', 'abc', '1e2', '99999999999', '', '%20', '0x10'];
    for (const query of [...cursors.map((c) => `cursor=${c}`), ...limits.map((l) => `limit=${l}`)]) {
      const { res, body } = await json(`/api/papers?${query}`);
      expect(res.status, query).toBe(400);
      expect(Object.keys(body as object)).toEqual(['error']);
    }
    // unknown parameters are ignored, as on /api/daily_papers
    expect((await app.request('/api/papers?p=3&sort=x')).status).toBe(200);
  });
});

describe('Accept: text/markdown on a paper URL', () => {
  it('answers what .md answers, the page to browsers, and keeps the two apart in the page cache', async () => {
    const md = await app.request('/papers/2506.00002.md');
    const viaAccept = await app.request('/papers/2506.00002', { headers: { accept: 'text/markdown' } });
    expect(viaAccept.status).toBe(200);
    expect(viaAccept.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(viaAccept.headers.get('vary')).toContain('Accept');
    expect(await viaAccept.text()).toBe(await md.text());
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    for (let i = 0; i < 2; i++) {
      const page = await app.request('/papers/2506.00002', { headers: { accept: browser } });
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('vary')).toContain('Accept');
      const again = await app.request('/papers/2506.00002', { headers: { accept: 'text/markdown' } });
      expect(again.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    }
    const plain = await app.request('/papers/2506.00002');
    expect(plain.headers.get('content-type')).toMatch(/^text\/html/);
    const missing = await app.request('/papers/2401.99999', { headers: { accept: 'text/markdown' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const versioned = await app.request('/papers/2506.00002v2', { headers: { accept: 'text/markdown' } });
    expect(versioned.status).toBe(301);
    expect(versioned.headers.get('location')).toBe('/papers/2506.00002');
  });

  it('reads a hostile Accept header as not said: the page, never an error', async () => {
    for (const accept of [
      'text/markdown;q=abc',
      'text/markdown;q=7',
      ';;;,,,markdown,,;q=',
      'text/markdown\u00ff',
      '*/*;q=-1, text/markdown;q=1.0000',
    ]) {
      const res = await app.request('/papers/2506.00002', { headers: { accept } });
      expect(res.status, accept).toBe(200);
      expect(res.headers.get('content-type'), accept).toMatch(/^text\/html/);
    }
    // only the first 64 entries are read: past them, text/html is not heard, and markdown was asked for
    const long = await app.request('/papers/2506.00002', {
      headers: { accept: `${'text/markdown;q=0.1,'.repeat(2000)}text/html` },
    });
    expect(long.status).toBe(200);
    expect(long.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
  });
});

describe('the comments read back', () => {
  const post = (path: string, comment: string) =>
    app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ comment }),
    });

  it('GET …/comments answers the thread, GET …/comment/{id} one comment, with what the writes answered', async () => {
    const first = (await (await post('/api/papers/2506.00001/comment', 'First *thought*')).json()) as {
      id: string;
    };
    const reply = (await (
      await post(`/api/papers/2506.00001/comment/${first.id}/reply`, 'A reply')
    ).json()) as {
      id: string;
    };
    const gone = (await (await post('/api/papers/2506.00001/comment', 'Regretted')).json()) as { id: string };
    const kept = (await (
      await post(`/api/papers/2506.00001/comment/${gone.id}/reply`, 'Still here')
    ).json()) as {
      id: string;
    };
    const alone = (await (await post('/api/papers/2506.00001/comment', 'Alone')).json()) as { id: string };
    const janeId = (
      await store.db.selectFrom('users').select('id').where('username', '=', 'jane').executeTakeFirstOrThrow()
    ).id;
    await deleteOwnComment(store.db, Number(gone.id), janeId);
    await deleteOwnComment(store.db, Number(alone.id), janeId);

    const { res, body } = await json('/api/papers/2506.00001/comments');
    expect(res.status).toBe(200);
    const thread = body as Record<string, unknown>[];
    expect(thread.map((c) => c.id)).toEqual([first.id, gone.id]);
    expect(thread[0]).toMatchObject({
      id: first.id,
      paperId: '2506.00001',
      parentId: null,
      comment: 'First *thought*',
      author: { user: 'jane', type: 'user' },
      deleted: false,
      editedAt: null,
      replies: [{ id: reply.id, parentId: first.id, comment: 'A reply', replies: [] }],
    });
    expect(thread[0]!.createdAt).toMatch(/Z$/);
    // a deleted comment stays, emptied, while it has replies
    expect(thread[1]).toMatchObject({ deleted: true, comment: '', replies: [{ id: kept.id }] });

    const one = await json(`/api/papers/2506.00001/comment/${reply.id}`);
    expect(one.res.status).toBe(200);
    expect(one.body).toEqual((thread[0]!.replies as unknown[])[0]);
    expect((await json(`/api/papers/2506.00001/comment/${alone.id}`)).res.status).toBe(410);
    expect((await json(`/api/papers/2506.00002/comment/${first.id}`)).res.status).toBe(404);
    expect((await json('/api/papers/2506.00002/comments')).body).toEqual([]);
  });

  it('answers 404 for an unknown or hidden paper and 400 with {"error"} for a bad id, never a 500', async () => {
    for (const path of ['/api/papers/2401.99999/comments', '/api/papers/2506.00006/comments']) {
      const { res, body } = await json(path);
      expect(res.status, path).toBe(404);
      expect(Object.keys(body as object)).toEqual(['error']);
    }
    expect((await json('/api/papers/2401.99999/comment/1')).res.status).toBe(404);
    for (const id of ['0', '-1', 'abc', '1.5', '99999999999', '2147483648', '%20', '1e3', '%F0%9F%92%A9']) {
      const { res, body } = await json(`/api/papers/2506.00001/comment/${id}`);
      expect(res.status, id).toBe(400);
      expect(Object.keys(body as object)).toEqual(['error']);
    }
    // the shape of an id with no such month
    expect((await json('/api/papers/2513.00001/comments')).res.status).toBe(400);
    expect((await json('/api/papers/2513.00001/comment/1')).res.status).toBe(400);
  });
});
