import { newestUpdate, paperItem } from '../feeds/paper-items.ts';
import type { FeedSource } from '../feeds/sources.ts';
import { collectionPapers, findCollection } from './collections.store.ts';
import { collectionId } from './input.ts';

/** `/feeds/collections/{id}.{ext}`: a public collection's papers, newest additions first. Private: 404. */
export const collectionFeed: FeedSource = async (deps, req) => {
  const m = /^collections\/([^/]+)$/.exec(req.path);
  if (!m) return null;
  const id = collectionId(m[1]);
  const col = id === null ? null : await findCollection(deps.store.db, id);
  if (!col?.public) return { status: 404, message: 'No such public collection.' };
  const items = (await collectionPapers(deps.store.db, col.id))
    .sort((a, b) => (a.addedAt < b.addedAt ? 1 : a.addedAt > b.addedAt ? -1 : 0))
    .slice(0, 100)
    .map((p) => paperItem(p.paper, deps.site.baseUrl, p.addedAt));
  const base = deps.site.baseUrl;
  return {
    title: `${col.name} · ${deps.site.name}`,
    description: col.description || `A collection by ${col.owner}.`,
    homeUrl: `${base}/collections/${col.id}`,
    feedBase: `${base}/feeds/collections/${col.id}`,
    updated: newestUpdate(items),
    publisher: deps.site.name,
    items,
  };
};
