import { parseFeed } from '@rowanmanning/feed-parser';
import { describe, expect, it } from 'vitest';
import { type Feed, renderFeed, xmlText } from './feed.ts';

const hostile = 'Tom & Jerry <script>alert("x")</script> \u0000\u0007 it\'s ]]> 𝛼';

const feed: Feed = {
  title: `Daily Papers · ${hostile}`,
  description: 'The papers featured in the last 7 days.',
  homeUrl: 'http://paperboy.test/papers',
  feedBase: 'http://paperboy.test/feeds/daily',
  updated: '2025-02-12T09:30:00.000Z',
  publisher: 'Paperboy',
  items: [
    {
      id: 'http://paperboy.test/papers/2502.08025',
      url: 'http://paperboy.test/papers/2502.08025',
      title: hostile,
      summary: 'An abstract with <b>markup</b> & entities &amp; kept as text.',
      authors: ['Jane Doe', 'John Roe'],
      published: '2025-02-12T09:30:00.000Z',
      updated: '2025-02-12T09:30:00.000Z',
      categories: ['cs.CL', 'cs.AI'],
    },
    {
      id: 'http://paperboy.test/papers/hep-th/9901001',
      url: 'http://paperboy.test/papers/hep-th/9901001',
      title: 'An old-style id',
      summary: '',
      authors: [],
      published: '1999-01-04T00:00:00.000Z',
      updated: '1999-01-05T00:00:00.000Z',
      categories: [],
    },
  ],
};
const cleanTitle = 'Tom & Jerry <script>alert("x")</script>  it\'s ]]> 𝛼';

describe('xmlText', () => {
  it('escapes markup and drops characters XML 1.0 forbids', () => {
    expect(xmlText('a & b < c > d " e \' f \u0001\uFFFE')).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f ');
  });
});

describe('RSS 2.0', () => {
  it('parses back with the required channel and item elements', () => {
    const xml = renderFeed('rss', feed);
    const parsed = parseFeed(xml);
    expect(parsed.meta.type).toBe('rss');
    expect(parsed.title).toBe(`Daily Papers · ${cleanTitle}`);
    expect(parsed.url).toBe('http://paperboy.test/papers');
    expect(parsed.description).toBe('The papers featured in the last 7 days.');
    expect(parsed.items).toHaveLength(2);
    const [first, second] = parsed.items;
    expect(first?.title).toBe(cleanTitle);
    expect(first?.url).toBe('http://paperboy.test/papers/2502.08025');
    expect(first?.id).toBe('http://paperboy.test/papers/2502.08025');
    expect(first?.published?.toISOString()).toBe('2025-02-12T09:30:00.000Z');
    expect(first?.authors.map((a) => a.name)).toEqual(['Jane Doe', 'John Roe']);
    expect(first?.categories.map((c) => c.term)).toEqual(['cs.CL', 'cs.AI']);
    expect(first?.description).toContain('<b>markup</b>');
    expect(second?.url).toBe('http://paperboy.test/papers/hep-th/9901001');
    // the self link (RSS Advisory Board's recommendation) and RFC 822 dates
    expect(xml).toContain('<atom:link href="http://paperboy.test/feeds/daily.rss" rel="self"');
    expect(xml).toContain('<pubDate>Wed, 12 Feb 2025 09:30:00 GMT</pubDate>');
  });
});

describe('Atom', () => {
  it('parses back with id, title, updated and entries with id, title, updated and link', () => {
    const xml = renderFeed('atom', feed);
    const parsed = parseFeed(xml);
    expect(parsed.meta.type).toBe('atom');
    // the parser exposes no feed-level id: read it from the document
    expect(parsed.element.findElementWithName('id')?.textContent).toBe(
      'http://paperboy.test/feeds/daily.atom',
    );
    expect(parsed.title).toBe(`Daily Papers · ${cleanTitle}`);
    expect(parsed.updated?.toISOString()).toBe('2025-02-12T09:30:00.000Z');
    expect(parsed.self).toBe('http://paperboy.test/feeds/daily.atom');
    expect(parsed.url).toBe('http://paperboy.test/papers');
    const [first, second] = parsed.items;
    expect(first?.id).toBe('http://paperboy.test/papers/2502.08025');
    expect(first?.title).toBe(cleanTitle);
    expect(first?.updated?.toISOString()).toBe('2025-02-12T09:30:00.000Z');
    expect(first?.url).toBe('http://paperboy.test/papers/2502.08025');
    expect(first?.authors.map((a) => a.name)).toEqual(['Jane Doe', 'John Roe']);
    expect(second?.updated?.toISOString()).toBe('1999-01-05T00:00:00.000Z');
  });
});

describe('JSON Feed 1.1', () => {
  it('has version, title and items with ids', () => {
    const json = JSON.parse(renderFeed('json', feed));
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.title).toBe(`Daily Papers · ${hostile}`);
    expect(json.feed_url).toBe('http://paperboy.test/feeds/daily.json');
    expect(json.items.map((i: { id: string }) => i.id)).toEqual([
      'http://paperboy.test/papers/2502.08025',
      'http://paperboy.test/papers/hep-th/9901001',
    ]);
    expect(json.items[0].date_published).toBe('2025-02-12T09:30:00.000Z');
    expect(json.items[0].authors).toEqual([{ name: 'Jane Doe' }, { name: 'John Roe' }]);
  });

  it('keeps a saved search in the feed address', () => {
    const json = JSON.parse(renderFeed('json', { ...feed, feedQuery: '?q=a%26b' }));
    expect(json.feed_url).toBe('http://paperboy.test/feeds/daily.json?q=a%26b');
  });
});

describe('an empty feed', () => {
  it('is still valid in every format', () => {
    const empty = { ...feed, items: [] };
    expect(parseFeed(renderFeed('rss', empty)).items).toEqual([]);
    expect(parseFeed(renderFeed('atom', empty)).items).toEqual([]);
    expect(JSON.parse(renderFeed('json', empty)).items).toEqual([]);
  });
});
