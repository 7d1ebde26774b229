import type { Context } from 'hono';
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
  const upvoted = await upvotedAmong(deps.store.db, viewer.id, paperIds);
  return { stateOf: (id) => (upvoted.has(id) ? 'upvoted' : 'not-upvoted'), csrf: c.get('csrf'), next };
}
