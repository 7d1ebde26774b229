import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { trendingScore } from '../ranking/trending.ts';

export interface VoteResult {
  upvotes: number;
  upvoted: boolean;
}

/**
 * Casts or withdraws one member's upvote for a paper. One row per (member, paper) (primary key), and the
 * paper's count is recounted from the votes table inside the same transaction (imported baseline + votes),
 * never incremented, so concurrent and repeated requests cannot drift it (the Lobsters rule). The feature's
 * trending score follows in the same transaction. Returns null for an unknown or hidden paper.
 */
export async function setUpvote(
  db: Kysely<Database>,
  userId: number,
  paperId: string,
  on: boolean,
): Promise<VoteResult | null> {
  return db.transaction().execute(async (trx) => {
    const paper = await trx
      .selectFrom('papers')
      .select(['id'])
      .where('id', '=', paperId)
      .where('hidden_at', 'is', null)
      .executeTakeFirst();
    if (!paper) return null;
    const changed = on
      ? Number(
          (
            await trx
              .insertInto('votes')
              .values({ user_id: userId, paper_id: paperId, created_at: new Date().toISOString() })
              .onConflict((oc) => oc.doNothing())
              .executeTakeFirst()
          ).numInsertedOrUpdatedRows ?? 0,
        )
      : Number(
          (
            await trx
              .deleteFrom('votes')
              .where('user_id', '=', userId)
              .where('paper_id', '=', paperId)
              .executeTakeFirst()
          ).numDeletedRows,
        );
    const upvotes = changed > 0 ? await recountUpvotes(trx, paperId) : await currentUpvotes(trx, paperId);
    return { upvotes, upvoted: on };
  });
}

async function currentUpvotes(trx: Transaction<Database>, paperId: string): Promise<number> {
  const row = await trx
    .selectFrom('papers')
    .select('upvotes')
    .where('id', '=', paperId)
    .executeTakeFirstOrThrow();
  return row.upvotes;
}

/** upvotes = imported baseline + votes cast here; the feature's trending score is updated with it. */
export async function recountUpvotes(trx: Transaction<Database>, paperId: string): Promise<number> {
  const counted = await trx
    .selectFrom('votes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('paper_id', '=', paperId)
    .executeTakeFirstOrThrow();
  const paper = await trx
    .updateTable('papers')
    .set((eb) => ({ upvotes: eb('imported_upvotes', '+', Number(counted.n)) }))
    .where('id', '=', paperId)
    .returning('upvotes')
    .executeTakeFirstOrThrow();
  const feature = await trx
    .selectFrom('features')
    .select('submitted_at')
    .where('paper_id', '=', paperId)
    .executeTakeFirst();
  if (feature) {
    await trx
      .updateTable('features')
      .set({ trending_score: trendingScore(paper.upvotes, feature.submitted_at) })
      .where('paper_id', '=', paperId)
      .execute();
  }
  return paper.upvotes;
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
