import type { Paper } from '../papers/paper.ts';
import { readableText } from '../papers/readable-text.ts';
import { paperPath } from '../web/format.ts';
import type { FeedItem } from './feed.ts';

/** A date every feed can fall back to when a paper has none (never in practice: ingest sets one). */
const EPOCH = '2000-01-01T00:00:00.000Z';

/**
 * A paper as a feed item: its page here is the id and link; `listedAt` (the day it was featured, for daily
 * lists) is its publication date in the feed so new features show up as new. Pure.
 */
export function paperItem(paper: Paper, baseUrl: string, listedAt?: string | null): FeedItem {
  const url = `${baseUrl}${paperPath(paper.id)}`;
  const published = listedAt ?? paper.publishedAt ?? EPOCH;
  const updated = [published, paper.updatedAt ?? published].sort().at(-1)!;
  return {
    id: url,
    url,
    title: readableText(paper.title),
    summary: paper.aiSummary
      ? `${readableText(paper.abstract)}\n\nSummary: ${paper.aiSummary}`
      : readableText(paper.abstract),
    authors: paper.authors,
    published,
    updated,
    categories: [...paper.categories],
  };
}

/** The newest `updated` among the items, or the fallback for an empty feed. */
export function newestUpdate(items: FeedItem[]): string {
  // ISO 8601 strings sort as dates
  return (
    items
      .map((item) => item.updated)
      .sort()
      .at(-1) ?? EPOCH
  );
}
