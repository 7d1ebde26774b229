import type { Store } from '../db/connect.ts';
import type { VoteResult } from './votes.store.ts';
import { createPostgresVoter } from './votes-postgres.store.ts';
import { createSqliteVoter } from './votes-sqlite.store.ts';

/** Casts (on) or withdraws one member's upvote, whichever the engine; null for an unknown or hidden paper. */
export type Voter = (userId: number, paperId: string, on: boolean) => Promise<VoteResult | null>;

export function createVoter(store: Store): Voter {
  if (store.dialect === 'postgres') return createPostgresVoter(store.db);
  const vote = createSqliteVoter(store.sqlite);
  return async (userId, paperId, on) => vote(userId, paperId, on);
}
