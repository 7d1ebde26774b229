import type { Hono } from 'hono';
import { FEED_CONTENT_TYPES, FEED_FORMATS, type FeedFormat, renderFeed } from '../feeds/feed.ts';
import { withPhrase } from '../keywords/keyphrases.store.ts';
import { topicOf } from '../keywords/topic.ts';
import type { AppEnv } from '../web/env.ts';
import { Layout, who } from '../web/layout.tsx';
import type { AppDeps } from './deps.ts';
import { CORE_FEED_SOURCES, type FeedSource } from './feed-sources.ts';

/**
 * Feeds: `/feeds/{what}.{rss|atom|json}` (docs/api.md). Each source recognises its own paths; the first that
 * does answers. Anonymous and cookie-free, so the page cache keeps them until the data changes.
 */
export function registerFeedRoutes(app: Hono<AppEnv>, deps: AppDeps, more: FeedSource[] = []): void {
  const sources = [...CORE_FEED_SOURCES, ...more];
  app.get('/feeds', (c) =>
    c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Feeds', path: '/feeds' }}>
        <h1>Feeds</h1>
        <p>
          Every list here has a feed in three formats: RSS 2.0 (<code>.rss</code>), Atom (<code>.atom</code>)
          and JSON Feed (<code>.json</code>). Feed readers also find them from the pages themselves.
        </p>
        <table class="tokens">
          <tbody>
            {[
              ['The daily list (last 7 days)', '/feeds/daily'],
              ['The weekly list (this week and last)', '/feeds/weekly'],
              ['Trending', '/feeds/trending'],
              ['New papers', '/feeds/new'],
              ['New papers in a category, e.g. cs.CL', '/feeds/new/cs.CL'],
            ].map(([label, path]) => (
              <tr>
                <td>{label}</td>
                <td>
                  {FEED_FORMATS.map((f) => (
                    <>
                      <a href={`${path}.${f}`}>{f.toUpperCase()}</a>{' '}
                    </>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          A saved search: <code>/feeds/search.rss?q=your+words</code> (the search page links to it). A topic:{' '}
          <code>/feeds/topics/KEYPHRASE.rss</code>. A public collection: the feed links on its page.
        </p>
      </Layout>,
    ),
  );
  app.get('/feeds/*', async (c) => {
    let rest: string;
    try {
      rest = decodeURIComponent(c.req.path.slice('/feeds/'.length));
    } catch {
      return c.text('This feed address is not valid (a broken %-escape).', 400);
    }
    const dot = rest.lastIndexOf('.');
    const format = rest.slice(dot + 1) as FeedFormat;
    if (dot <= 0 || !FEED_FORMATS.includes(format) || rest.length > 300) return c.notFound();
    const req = { path: rest.slice(0, dot), query: (name: string) => c.req.query(name) };
    for (const source of sources) {
      let result = await source(deps, req);
      if (result === null) continue;
      if ('status' in result) return c.text(result.message, result.status);
      const topicParam = c.req.query('topic');
      if (topicParam !== undefined) {
        // any feed narrowed to a topic (a keyphrase): /feeds/daily.rss?topic=diffusion%20models
        const topic = topicOf(topicParam);
        if (!topic) return c.text('topic must be a keyphrase of 2 to 100 characters.', 400);
        const keep = await withPhrase(
          deps.store.db,
          topic,
          result.items.map((i) => i.url.slice(`${deps.site.baseUrl}/papers/`.length)),
        );
        const query = `${result.feedQuery ? `${result.feedQuery}&` : '?'}topic=${encodeURIComponent(topic)}`;
        result = {
          ...result,
          title: `${result.title} · topic: ${topic}`,
          feedQuery: query,
          items: result.items.filter((i) => keep.has(i.url.slice(`${deps.site.baseUrl}/papers/`.length))),
        };
      }
      c.header('Content-Type', FEED_CONTENT_TYPES[format]);
      c.header('Access-Control-Allow-Origin', '*');
      return c.body(renderFeed(format, result));
    }
    return c.notFound();
  });
}

/** The discovery tags of a page whose feed lives at `/feeds/{path}.{ext}`. */
export function feedAlternates(
  title: string,
  path: string,
  query = '',
): { title: string; href: string; type: string }[] {
  return [
    { title: `${title} (RSS)`, href: `/feeds/${path}.rss${query}`, type: 'application/rss+xml' },
    { title: `${title} (Atom)`, href: `/feeds/${path}.atom${query}`, type: 'application/atom+xml' },
    { title: `${title} (JSON Feed)`, href: `/feeds/${path}.json${query}`, type: 'application/feed+json' },
  ];
}

/** Visible feed links for a list page: "Feed: RSS · Atom · JSON". */
export function FeedLinks(props: { path: string; query?: string; label?: string }) {
  const q = props.query ?? '';
  return (
    <p class="feed-links small muted">
      {props.label ?? 'Follow in a feed reader'}: <a href={`/feeds/${props.path}.rss${q}`}>RSS</a> ·{' '}
      <a href={`/feeds/${props.path}.atom${q}`}>Atom</a> ·{' '}
      <a href={`/feeds/${props.path}.json${q}`}>JSON Feed</a>
    </p>
  );
}
