import { listFeatures } from '../features/features.store.ts';
import { periodContaining, periodLabel } from '../features/periods.ts';
import type { Feed, FeedItem } from '../feeds/feed.ts';
import { newestUpdate, paperItem } from '../feeds/paper-items.ts';
import type { FeedSource as GenericFeedSource } from '../feeds/sources.ts';
import { listNewPapers } from '../papers/papers.store.ts';
import { isSearchable, MAX_QUERY_LENGTH, parseQuery } from '../search/query-parse.ts';
import { NO_FILTERS } from '../search/search.store.ts';
import type { AppDeps } from './deps.ts';

/** How many items a feed carries at most. */
export const FEED_ITEMS = 50;
const DAILY_DAYS = 7;

export type FeedSource = GenericFeedSource<AppDeps>;

function feedOf(
  deps: AppDeps,
  parts: { title: string; description: string; homePath: string; feedPath: string; items: FeedItem[] },
): Feed {
  const base = deps.site.baseUrl;
  return {
    title: `${parts.title} · ${deps.site.name}`,
    description: parts.description,
    homeUrl: `${base}${parts.homePath}`,
    feedBase: `${base}/feeds/${parts.feedPath}`,
    updated: newestUpdate(parts.items),
    publisher: deps.site.name,
    items: parts.items,
  };
}

/** The daily list: the features of the last seven days, newest day first, most upvoted first within a day. */
const daily: FeedSource = async (deps, req) => {
  if (req.path !== 'daily') return null;
  const since = new Date(Date.now() - DAILY_DAYS * 86_400_000).toISOString().slice(0, 10);
  const items = await listFeatures(deps.store.db, {
    start: since,
    end: null,
    submitter: null,
    sort: 'upvotes',
    offset: 0,
    limit: 500,
  });
  items.sort((a, b) => (a.day === b.day ? 0 : a.day < b.day ? 1 : -1));
  return feedOf(deps, {
    title: 'Daily Papers',
    description: `The papers featured on ${deps.site.name} in the last ${DAILY_DAYS} days, by upvotes.`,
    homePath: '/papers',
    feedPath: 'daily',
    items: items.slice(0, 100).map((i) => paperItem(i.paper, deps.site.baseUrl, i.submittedAt)),
  });
};

/** The weekly list: the top papers of the current ISO week and the one before. */
const weekly: FeedSource = async (deps, req) => {
  if (req.path !== 'weekly') return null;
  const today = new Date().toISOString().slice(0, 10);
  const thisWeek = periodContaining('week', today);
  const lastWeek = periodContaining(
    'week',
    new Date(Date.parse(`${thisWeek.start}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
  );
  const items: FeedItem[] = [];
  for (const week of [thisWeek, lastWeek]) {
    const top = await listFeatures(deps.store.db, {
      start: week.start,
      end: week.end,
      submitter: null,
      sort: 'upvotes',
      offset: 0,
      limit: FEED_ITEMS / 2,
    });
    items.push(...top.map((i) => paperItem(i.paper, deps.site.baseUrl, i.submittedAt)));
  }
  return feedOf(deps, {
    title: 'Weekly Papers',
    description: `The most upvoted papers of ${periodLabel(thisWeek)} and ${periodLabel(lastWeek)}.`,
    homePath: `/papers/week/${thisWeek.key}`,
    feedPath: 'weekly',
    items,
  });
};

const trending: FeedSource = async (deps, req) => {
  if (req.path !== 'trending') return null;
  const items = await listFeatures(deps.store.db, {
    start: null,
    end: null,
    submitter: null,
    sort: 'trending',
    offset: 0,
    limit: FEED_ITEMS,
  });
  return feedOf(deps, {
    title: 'Trending papers',
    description: 'Featured papers by upvotes decayed by age (see /about#trending).',
    homePath: '/papers/trending',
    feedPath: 'trending',
    items: items.map((i) => paperItem(i.paper, deps.site.baseUrl, i.submittedAt)),
  });
};

const CATEGORY = /^[A-Za-z-]+(\.[A-Za-z-]+)?$/;

/** New papers, all or of one category: /feeds/new.rss, /feeds/new/cs.CL.rss. */
const newPapers: FeedSource = async (deps, req) => {
  if (req.path !== 'new' && !req.path.startsWith('new/')) return null;
  const category = req.path === 'new' ? null : req.path.slice('new/'.length);
  if (category !== null && (!CATEGORY.test(category) || category.length > 32))
    return { status: 400, message: 'Categories look like cs.CL or hep-th.' };
  const papers = await listNewPapers(deps.store.db, { category, offset: 0, limit: FEED_ITEMS });
  const query = category ? `?cat=${encodeURIComponent(category)}` : '';
  return feedOf(deps, {
    title: category ? `New in ${category}` : 'New papers',
    description: `The newest papers${category ? ` in ${category}` : ''}, featured or not.`,
    homePath: `/new${query}`,
    feedPath: category ? `new/${category}` : 'new',
    items: papers.map((p) => paperItem(p, deps.site.baseUrl)),
  });
};

/** A saved search: the newest papers matching `q` (the search box's language). */
const search: FeedSource = async (deps, req) => {
  if (req.path !== 'search') return null;
  const q = (req.query('q') ?? '').trim();
  if (q.length > MAX_QUERY_LENGTH)
    return { status: 400, message: `q is longer than ${MAX_QUERY_LENGTH} characters.` };
  if (!isSearchable(parseQuery(q)))
    return { status: 400, message: 'q must contain at least one word to search for.' };
  // the search's own engine, newest first; a feed keeps to papers with every word (no widening to any word)
  const found = await deps.search.search({
    q,
    filters: NO_FILTERS,
    sort: 'date',
    offset: 0,
    limit: FEED_ITEMS,
  });
  const papers = found.widened ? [] : found.hits.map((hit) => hit.paper);
  const feed = feedOf(deps, {
    title: `Search: ${q.slice(0, 80)}`,
    description: `The newest papers matching “${q.slice(0, 200)}”.`,
    homePath: `/papers?q=${encodeURIComponent(q)}`,
    feedPath: 'search',
    items: papers.map((p) => paperItem(p, deps.site.baseUrl)),
  });
  // the query is part of the feed's address
  return { ...feed, feedQuery: `?q=${encodeURIComponent(q)}` };
};

export const CORE_FEED_SOURCES: FeedSource[] = [daily, weekly, trending, newPapers, search];
