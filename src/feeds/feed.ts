/**
 * Feeds in three formats from one description: RSS 2.0 (https://www.rssboard.org/rss-specification),
 * Atom (RFC 4287) and JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Pure; hand-written XML with
 * every text escaped and characters XML 1.0 forbids removed (docs/decisions.md D40).
 *
 * @example renderFeed('rss', { title: 'Daily', … }) // '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" …'
 */
export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** The MIME types for `<link rel="alternate" type=…>` discovery tags. */
export const FEED_LINK_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

export interface FeedItem {
  /** a permanent absolute URL, used as guid/id */
  id: string;
  url: string;
  title: string;
  /** plain text */
  summary: string;
  authors: string[];
  /** ISO 8601 */
  published: string;
  updated: string;
  categories: string[];
}

export interface Feed {
  title: string;
  description: string;
  /** the page this feed mirrors (absolute URL) */
  homeUrl: string;
  /** the feed's own URL without extension: `${base}.rss` etc. (absolute) */
  feedBase: string;
  /** a query string that is part of the feed's address (a saved search), with its '?' */
  feedQuery?: string;
  /** ISO 8601; the newest item's update, or a fixed date for an empty feed */
  updated: string;
  /** who publishes it (the instance) */
  publisher: string;
  items: FeedItem[];
}

export function feedUrl(feed: Pick<Feed, 'feedBase' | 'feedQuery'>, format: FeedFormat): string {
  return `${feed.feedBase}.${format}${feed.feedQuery ?? ''}`;
}

export function renderFeed(format: FeedFormat, feed: Feed): string {
  if (format === 'rss') return renderRss(feed);
  if (format === 'atom') return renderAtom(feed);
  return renderJsonFeed(feed);
}

// XML 1.0 §2.2: only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text → XML character data: forbidden characters dropped, & < > " ' escaped. */
export function xmlText(value: string): string {
  return value
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** RFC 822 dates as RSS 2.0 asks (with a four-digit year, as the RSS Advisory Board recommends). */
export function rfc822(iso: string): string {
  return new Date(iso).toUTCString();
}

function renderRss(feed: Feed): string {
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${xmlText(feed.title)}</title>`,
    `<link>${xmlText(feed.homeUrl)}</link>`,
    `<description>${xmlText(feed.description)}</description>`,
    '<language>en</language>',
    `<lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>`,
    `<generator>${xmlText(feed.publisher)}</generator>`,
    `<atom:link href="${xmlText(feedUrl(feed, 'rss'))}" rel="self" type="application/rss+xml"/>`,
  ];
  for (const item of feed.items) {
    out.push(
      '<item>',
      `<title>${xmlText(item.title)}</title>`,
      `<link>${xmlText(item.url)}</link>`,
      `<guid isPermaLink="true">${xmlText(item.id)}</guid>`,
      `<pubDate>${rfc822(item.published)}</pubDate>`,
      `<description>${xmlText(item.summary)}</description>`,
      ...item.authors.map((a) => `<dc:creator>${xmlText(a)}</dc:creator>`),
      ...item.categories.map((c) => `<category>${xmlText(c)}</category>`),
      '</item>',
    );
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

function renderAtom(feed: Feed): string {
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `<id>${xmlText(feedUrl(feed, 'atom'))}</id>`,
    `<title>${xmlText(feed.title)}</title>`,
    `<subtitle>${xmlText(feed.description)}</subtitle>`,
    `<updated>${new Date(feed.updated).toISOString()}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(feedUrl(feed, 'atom'))}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(feed.homeUrl)}"/>`,
    `<author><name>${xmlText(feed.publisher)}</name></author>`,
    `<generator>Paperboy</generator>`,
  ];
  for (const item of feed.items) {
    out.push(
      '<entry>',
      `<id>${xmlText(item.id)}</id>`,
      `<title type="text">${xmlText(item.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${xmlText(item.url)}"/>`,
      `<published>${new Date(item.published).toISOString()}</published>`,
      `<updated>${new Date(item.updated).toISOString()}</updated>`,
      ...item.authors.map((a) => `<author><name>${xmlText(a)}</name></author>`),
      ...item.categories.map((c) => `<category term="${xmlText(c)}"/>`),
      `<summary type="text">${xmlText(item.summary)}</summary>`,
      '</entry>',
    );
  }
  out.push('</feed>', '');
  return out.join('\n');
}

function renderJsonFeed(feed: Feed): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: feed.title,
      home_page_url: feed.homeUrl,
      feed_url: feedUrl(feed, 'json'),
      description: feed.description,
      language: 'en',
      authors: [{ name: feed.publisher }],
      items: feed.items.map((item) => ({
        id: item.id,
        url: item.url,
        title: item.title,
        content_text: item.summary,
        date_published: new Date(item.published).toISOString(),
        date_modified: new Date(item.updated).toISOString(),
        authors: item.authors.map((name) => ({ name })),
        tags: item.categories,
      })),
    },
    null,
    1,
  );
}
