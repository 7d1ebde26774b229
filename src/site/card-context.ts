import type { Context } from 'hono';
import { collectionNames, savedAmong } from '../collections/collections.store.ts';
import { topPhrasesAmong } from '../keywords/keyphrases.store.ts';
import { type TeamBadge, teamBadgesAmong } from '../teams/team-lists.store.ts';
import type { VoteState } from '../votes/vote-button.tsx';
import { upvotedAmong } from '../votes/votes.store.ts';
import type { AppEnv } from '../web/env.ts';
import type { AppDeps } from './deps.ts';

/** Topic chips a card shows: the paper's first keyphrases. */
const CARD_TOPICS = 3;

/**
 * What the cards of a page need beyond their papers, one query each for all the papers on it: how the vote
 * buttons look for this viewer, their collections, and each paper's first keyphrases.
 */
export interface VoteContext {
  stateOf(paperId: string): VoteState;
  csrf: string | null;
  /** the page to come back to after a plain form post */
  next: string;
  /** a member's collections, for the "Save" menu on cards (absent for anonymous readers) */
  collections?: { id: number; name: string }[];
  /** the viewer's collections that hold a paper */
  savedIn?(paperId: string): Set<number>;
  /** the paper's first keyphrases (empty until the keywords job has seen it) */
  topicsOf?(paperId: string): string[];
  /** the viewer's teams whose members featured, upvoted or saved the paper, with how many did */
  teamsOf?(paperId: string): TeamBadge[];
}

export async function voteContext(
  c: Context<AppEnv>,
  deps: AppDeps,
  paperIds: string[],
): Promise<VoteContext> {
  const viewer = c.get('viewer');
  const url = new URL(c.req.url);
  const next = url.pathname + url.search;
  const topics = topPhrasesAmong(deps.store.db, paperIds, CARD_TOPICS);
  const topicsOf = (found: Map<string, string[]>) => (id: string) => found.get(id) ?? [];
  if (!viewer) return { stateOf: () => 'anonymous', csrf: null, next, topicsOf: topicsOf(await topics) };
  const [upvoted, collections, saved, phrases, badges] = await Promise.all([
    upvotedAmong(deps.store.db, viewer.id, paperIds),
    collectionNames(deps.store.db, viewer.id),
    savedAmong(deps.store.db, viewer.id, paperIds),
    topics,
    teamBadgesAmong(deps.store.db, viewer.id, paperIds),
  ]);
  return {
    topicsOf: topicsOf(phrases),
    stateOf: (id) => (upvoted.has(id) ? 'upvoted' : 'not-upvoted'),
    csrf: c.get('csrf'),
    next,
    collections,
    savedIn: (id) => saved.get(id) ?? new Set(),
    teamsOf: (id) => badges.get(id) ?? [],
  };
}
