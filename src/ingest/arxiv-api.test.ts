import fc from 'fast-check';
import { describe, expect, it, type TestContext } from 'vitest';
import {
  RECORDED,
  recorded,
  recordedJsonBody,
  SYNTHETIC,
  synthetic,
} from '../../test/helpers/arxiv-fixtures.ts';
import { type ApiFeed, ApiFormatError, parseArxivFeed } from './arxiv-api.ts';

function load(ctx: TestContext, name: string): Buffer {
  const raw = name.endsWith('.json') ? recordedJsonBody(name)?.body : recorded(name);
  if (!raw) ctx.skip();
  return raw as Buffer;
}

function papers(feed: ApiFeed) {
  if (feed.kind !== 'feed') throw new Error(`expected a feed, got ${JSON.stringify(feed)}`);
  return feed.entries.map((e) => {
    if (!e.ok) throw new Error(`rejected entry: ${e.reason}`);
    return e.paper;
  });
}

describe('parseArxivFeed on recorded answers', () => {
  it('legacy id_list: version, dates, DOI, comment, journal ref, primary category first', (ctx) => {
    const feed = parseArxivFeed(load(ctx, RECORDED.apiLegacyId));
    expect(feed).toMatchObject({ kind: 'feed', totalResults: 1, startIndex: 0 });
    const [p] = papers(feed);
    expect(p).toMatchObject({
      id: '1111.2011',
      version: 2,
      title: 'Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit',
      authors: ['James M. Murray', 'Adrian Del Maestro', 'Zlatko Tesanovic'],
      categories: ['cond-mat.str-el', 'cond-mat.stat-mech'],
      publishedAt: '2011-11-08T18:48:36.000Z',
      updatedAt: '2012-04-02T12:38:54.000Z',
      doi: '10.1103/PhysRevB.85.115117',
      comments: '8 pages, 3 figures. Published version',
      journalRef: 'Phys. Rev. B 85, 115117 (2012)',
    });
    expect(p!.abstract.startsWith('Theoretical description of anisotropic systems')).toBe(true);
  });

  it('legacy search page: ten entries, old-style ids and versions, LaTeX kept', (ctx) => {
    const feed = parseArxivFeed(load(ctx, RECORDED.apiLegacySearch));
    expect(feed).toMatchObject({ kind: 'feed', totalResults: 31, startIndex: 0 });
    const list = papers(feed);
    expect(list).toHaveLength(10);
    expect(list.map((p) => p.id)).toContain('cond-mat/0412498');
    expect(list.find((p) => p.id === 'cond-mat/0702661')?.version).toBe(2);
    expect(list.every((p) => p.doi !== null && p.journalRef !== null)).toBe(true);
    expect(list.filter((p) => p.categories.length > 1)).toHaveLength(7);
    expect(list.some((p) => p.abstract.includes('$'))).toBe(true);
  });

  it('2026 id_list (JSON-wrapped, Latin-1 bytes): old-style id, affiliations left out of names', (ctx) => {
    const feed = parseArxivFeed(load(ctx, RECORDED.api2026Id));
    const [p] = papers(feed);
    expect(p).toMatchObject({
      id: 'astro-ph/0601001',
      version: 1,
      authors: ['Andrew Gould', 'Susan Dorsher', 'B. Scott Gaudi', 'Andrzej Udalski'],
      categories: ['astro-ph'],
      journalRef: 'ActaAstron.56:1-50,2006',
      publishedAt: '2006-01-02T14:57:58.000Z',
    });
    expect(p!.abstract).toContain('Gould & Morgan (2003)');
    expect(p!.abstract).toContain('V_max<17.5');
    // the derived body file holds the same bytes
    const derived = recorded('derived/api_2026_id_list_astro-ph_0601001.body.xml');
    if (derived) expect(parseArxivFeed(derived)).toEqual(feed);
  });

  it('2026 search page: non-ASCII names decoded as UTF-8, LaTeX, paging numbers', (ctx) => {
    const feed = parseArxivFeed(load(ctx, RECORDED.api2026Search));
    expect(feed).toMatchObject({ kind: 'feed', totalResults: 214881, startIndex: 40 });
    const list = papers(feed);
    expect(list).toHaveLength(10);
    const names = list.flatMap((p) => p.authors);
    for (const name of [
      'Mika V. Mäntylä',
      'Päivi Raulamo-jurvanen',
      'Lasse Møldrup',
      'Jean-Marc Azaïs',
      'Stéphane Mourareau',
    ]) {
      expect(names).toContain(name);
    }
    expect(names.join(' ')).not.toMatch(/Ã/);
    expect(list.some((p) => p.abstract.includes('$\\tilde{O}(\\varepsilon^{-2})$'))).toBe(true);
    expect(list.filter((p) => p.categories.length > 1)).toHaveLength(5);
    expect(list.filter((p) => p.doi !== null)).toHaveLength(2);
  });

  it('detects the error feed by its content (HTTP 400 in the recording)', (ctx) => {
    const wrapped = recordedJsonBody(RECORDED.api2026Error);
    if (!wrapped) ctx.skip();
    expect(wrapped!.status).toBe(400);
    expect(parseArxivFeed(wrapped!.body)).toEqual({
      kind: 'error',
      message: 'incorrect id format for abc',
      errorId: 'https://arxiv.org/api/errors#incorrect_id_format_for_abc',
    });
  });

  it('an empty feed (synthetic): no entries', () => {
    expect(parseArxivFeed(synthetic(SYNTHETIC.apiEmpty))).toEqual({
      kind: 'feed',
      totalResults: 0,
      startIndex: 0,
      entries: [],
    });
  });
});

const FEED = '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">';

describe('parseArxivFeed on hostile and broken input', () => {
  it('refuses DOCTYPE and entity declarations (XXE, billion laughs)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "http://169.254.169.254/">]>${FEED}<entry><title>&x;</title></entry></feed>`;
    const laughs = `<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${FEED}<title>&b;</title></feed>`;
    expect(() => parseArxivFeed(xxe)).toThrow(/DOCTYPE/);
    expect(() => parseArxivFeed(laughs)).toThrow(/DOCTYPE/);
  });

  it('fails on truncated feeds, non-feeds and oversized ones', (ctx) => {
    const xml = load(ctx, RECORDED.apiLegacySearch);
    const end = xml.toString('utf8').trimEnd().length;
    for (let cut = 0; cut < end; cut += 211) {
      expect(() => parseArxivFeed(xml.subarray(0, cut)), `cut at ${cut}`).toThrow(ApiFormatError);
    }
    expect(() => parseArxivFeed('<OAI-PMH/>')).toThrow(/not an Atom feed/);
    expect(() => parseArxivFeed(xml, 1000)).toThrow(/limit/);
  });

  it('rejects entries without a usable id or title, keeps the others', () => {
    const entry = (id: string, title: string) =>
      `<entry><id>${id}</id><title>${title}</title><summary>S</summary><author><name>A</name></author><arxiv:primary_category term="cs.AI"/></entry>`;
    const feed = parseArxivFeed(
      `${FEED}${entry('http://arxiv.org/abs/2501.00001v1', 'Fine')}${entry('http://example.org/x', 'T')}${entry('http://arxiv.org/abs/2501.00002v1', '')}</feed>`,
    );
    if (feed.kind !== 'feed') throw new Error('expected a feed');
    expect(feed.entries.map((e) => (e.ok ? e.paper.id : e.reason))).toEqual([
      '2501.00001',
      'entry id "http://example.org/x": example.org is not an arXiv, Hugging Face or alphaXiv paper URL',
      'missing title (2501.00002)',
    ]);
  });

  it('never throws anything but ApiFormatError (fuzzed)', () => {
    const pieces = fc.constantFrom(
      FEED,
      '<entry>',
      '</entry>',
      '<id>http://arxiv.org/abs/2501.00001v2</id>',
      '<id>https://arxiv.org/api/errors#x</id>',
      '<title>T</title>',
      '<arxiv:primary_category term="cs.CL"/>',
      '<category term="&amp;"/>',
      '</feed>',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 25 }), (parts) => {
        try {
          parseArxivFeed(parts.join(''));
        } catch (err) {
          expect(err).toBeInstanceOf(ApiFormatError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
