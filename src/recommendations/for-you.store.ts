import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Paper } from '../papers/paper.ts';
import { PAPER_COLUMNS, paperFromRow } from '../papers/papers.store.ts';

export interface StoredRecommendation {
  paper: Paper;
  score: number;
  reasonKind: 'upvoted' | 'collected';
  reasonPaperId: string;
  reasonTitle: string;
  computedAt: string;
}

/** A member's recommendations, best first; hidden papers (recommended or reason) left out. */
export async function recommendationsFor(
  db: Kysely<Database>,
  userId: number,
  limit: number,
): Promise<StoredRecommendation[]> {
  const rows = await db
    .selectFrom('recommendations')
    .innerJoin('papers', 'papers.id', 'recommendations.paper_id')
    .innerJoin('papers as reason', 'reason.id', 'recommendations.reason_paper_id')
    .select([
      ...PAPER_COLUMNS,
      'recommendations.score',
      'recommendations.reason_kind',
      'recommendations.reason_paper_id',
      'recommendations.computed_at',
      'reason.title as reason_title',
    ])
    .where('recommendations.user_id', '=', userId)
    .where('papers.hidden_at', 'is', null)
    .where('reason.hidden_at', 'is', null)
    .orderBy('recommendations.rank', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    paper: paperFromRow(r),
    score: r.score,
    reasonKind: r.reason_kind,
    reasonPaperId: r.reason_paper_id,
    reasonTitle: r.reason_title,
    computedAt: r.computed_at,
  }));
}

/** How many positives the member's model was last trained on, and when (null: never). */
export async function forYouState(db: Kysely<Database>, userId: number) {
  return (
    (await db
      .selectFrom('recommendation_state')
      .select(['positives', 'computed_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst()) ?? null
  );
}

/** The member's digest subscription and whether it carries their recommendations. */
export async function digestForYou(db: Kysely<Database>, userId: number) {
  return (
    (await db
      .selectFrom('subscriptions')
      .select(['id', 'for_you', 'status'])
      .where('user_id', '=', userId)
      .where('status', '!=', 'unsubscribed')
      .executeTakeFirst()) ?? null
  );
}

export async function setDigestForYou(db: Kysely<Database>, userId: number, on: boolean): Promise<boolean> {
  const result = await db
    .updateTable('subscriptions')
    .set({ for_you: on ? 1 : 0 })
    .where('user_id', '=', userId)
    .where('status', '!=', 'unsubscribed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
