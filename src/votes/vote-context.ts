import type { Context } from 'hono';
import { collectionNames, savedAmong } from '../collections/collections.store.ts';
import type { AppDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import type { VoteState } from '../web/vote-button.tsx';
import { upvotedAmong } from './votes.store.ts';

/** How the vote buttons of a page look for this viewer: one query for all the papers on it. */
export interface VoteContext {
  stateOf(paperId: string): VoteState;
  csrf: string | null;
  /** the page to come back to after a plain form post */
  next: string;
  /** a member's collections, for the "Save" menu on cards (absent for anonymous readers) */
  collections?: { id: number; name: string }[];
  /** the viewer's collections that hold a paper */
  savedIn?(paperId: string): Set<number>;
}

export async function voteContext(
  c: Context<AppEnv>,
  deps: AppDeps,
  paperIds: string[],
): Promise<VoteContext> {
  const viewer = c.get('viewer');
  const url = new URL(c.req.url);
  const next = url.pathname + url.search;
  if (!viewer) return { stateOf: () => 'anonymous', csrf: null, next };
  const [upvoted, collections, saved] = await Promise.all([
    upvotedAmong(deps.store.db, viewer.id, paperIds),
    collectionNames(deps.store.db, viewer.id),
    savedAmong(deps.store.db, viewer.id, paperIds),
  ]);
  return {
    stateOf: (id) => (upvoted.has(id) ? 'upvoted' : 'not-upvoted'),
    csrf: c.get('csrf'),
    next,
    collections,
    savedIn: (id) => saved.get(id) ?? new Set(),
  };
}
