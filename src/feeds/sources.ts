import type { WebDeps } from '../web/deps.ts';
import type { Feed } from './feed.ts';

/** What a feed request asks for: the path after /feeds/ without the extension, and the query string. */
export interface FeedRequest {
  path: string;
  query: (name: string) => string | undefined;
}

/** A feed, or why there is none: 404 (no such thing) or 400 (a bad parameter), with a message. */
export type FeedResult = Feed | { status: 400 | 404; message: string };

/** One kind of feed: answers the requests it knows (null for the others). `D` is what it needs of the app. */
export type FeedSource<D extends WebDeps = WebDeps> = (
  deps: D,
  req: FeedRequest,
) => Promise<FeedResult | null>;
