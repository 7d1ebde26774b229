import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { PAPER_FILE, PAPER_ID, paperIdParam, splitPaperPath } from './paper-path.ts';

describe('splitPaperPath', () => {
  it.each([
    ['2312.07000', { id: '2312.07000', version: null, suffix: '' }],
    ['2312.07000v2', { id: '2312.07000', version: 2, suffix: '' }],
    ['2312.07000.md', { id: '2312.07000', version: null, suffix: '.md' }],
    ['2312.07000/thumbnail.svg', { id: '2312.07000', version: null, suffix: '/thumbnail.svg' }],
    ['hep-th/9901001', { id: 'hep-th/9901001', version: null, suffix: '' }],
    ['hep-th/9901001v3.md', { id: 'hep-th/9901001', version: 3, suffix: '.md' }],
    ['math.GT/0309136', { id: 'math/0309136', version: null, suffix: '' }],
  ])('%s', (input, expected) => {
    expect(splitPaperPath(input)).toEqual(expected);
  });

  it.each(['', 'trending', '2313.07000', '2312.07000x', 'foo/9901001', '../etc/passwd', '2312.07000v0'])(
    'refuses %s',
    (input) => {
      expect(splitPaperPath(input)).toBeNull();
    },
  );
});

describe('the route patterns PAPER_ID and PAPER_FILE', () => {
  // the patterns as the app registers them, on Hono's own router
  const app = new Hono();
  app.get(`/papers/${PAPER_ID}`, (c) => c.json({ page: paperIdParam(c.req.param('id')) }));
  app.get(`/papers/${PAPER_ID}/thumbnail.svg`, (c) => c.json({ thumbnail: c.req.param('id') }));
  app.get(`/papers/${PAPER_FILE}`, (c) => c.json({ file: c.req.param('file') }));
  // after an id with a slash Hono matches no second pattern parameter: the app registers one route per action
  app.post(`/papers/${PAPER_ID}/upvote`, (c) => c.json({ vote: c.req.param('id'), direction: 'upvote' }));
  const get = async (path: string, method = 'GET') => {
    const res = await app.request(path, { method });
    return res.status === 200 ? await res.json() : res.status;
  };

  it('takes new- and old-style ids, slash and version included', async () => {
    expect(await get('/papers/2312.07000')).toEqual({ page: { id: '2312.07000', version: null } });
    expect(await get('/papers/2312.07000v2')).toEqual({ page: { id: '2312.07000', version: 2 } });
    expect(await get('/papers/hep-th/9901001')).toEqual({ page: { id: 'hep-th/9901001', version: null } });
    expect(await get('/papers/math.GT/0309136')).toEqual({ page: { id: 'math/0309136', version: null } });
    expect(await get('/papers/hep-th/9901001v3.md')).toEqual({ file: 'hep-th/9901001v3.md' });
    expect(await get('/papers/2312.07000.bib')).toEqual({ file: '2312.07000.bib' });
    expect(await get('/papers/2312.07000/thumbnail.svg')).toEqual({ thumbnail: '2312.07000' });
    expect(await get('/papers/hep-th/9901001/upvote', 'POST')).toEqual({
      vote: 'hep-th/9901001',
      direction: 'upvote',
    });
  });

  it.each([
    '/papers/trending',
    '/papers/2312.07000x',
    '/papers/2312.07000.exe',
    '/papers/foo/bar/9901001',
    '/papers/../etc/passwd',
    '/papers/2312.07000/thumbnail.png',
    `/papers/${'9'.repeat(4000)}`,
  ])('matches no paper route for %s', async (path) => {
    expect(await get(path)).toBe(404);
  });

  it('leaves to parseArxivId what the shape allows but the calendar does not', async () => {
    expect(await get('/papers/2313.07000')).toEqual({ page: null });
    expect(paperIdParam(undefined)).toBeNull();
    expect(paperIdParam('2312.07000v0')).toBeNull();
  });
});
