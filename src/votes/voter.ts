import { perEngine } from '../db/engine.ts';
import { createPostgresVoter } from './votes.postgres.ts';
import { createSqliteVoter } from './votes.sqlite.ts';
import type { VoteResult } from './votes.store.ts';

/** Casts (on) or withdraws one member's upvote, whichever the engine; null for an unknown or hidden paper. */
export type Voter = (userId: number, paperId: string, on: boolean) => Promise<VoteResult | null>;

/**
 * The voter of a store's engine, built once per store: SQLite's is raw prepared statements in one synchronous
 * transaction (the hot write path, docs/decisions.md D2); PostgreSQL's locks the paper row (votes.postgres.ts).
 */
export const createVoter = perEngine<Voter>({
  sqlite: (s) => {
    const vote = createSqliteVoter(s.sqlite);
    return async (userId, paperId, on) => vote(userId, paperId, on);
  },
  postgres: (s) => createPostgresVoter(s.db),
});
