import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface VoteResult {
  upvotes: number;
  upvoted: boolean;
}

/** Which of these papers the member has upvoted. */
export async function upvotedAmong(
  db: Kysely<Database>,
  userId: number,
  paperIds: string[],
): Promise<Set<string>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('votes')
    .select('paper_id')
    .where('user_id', '=', userId)
    .where('paper_id', 'in', paperIds)
    .execute();
  return new Set(rows.map((r) => r.paper_id));
}

/** The papers a member upvoted, newest vote first. */
export async function upvotedPaperIds(
  db: Kysely<Database>,
  userId: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('votes')
    .select('paper_id')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.paper_id);
}
