import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { trendingScore } from '../ranking/trending.ts';
import type { VoteResult } from './votes.store.ts';

/**
 * The vote transaction on PostgreSQL: the same rules as the SQLite voter (one row per member and paper, the
 * count recounted from the votes table, the trending score updated), with the paper's row locked first
 * (`SELECT … FOR NO KEY UPDATE`, the lock its UPDATE takes anyway) so concurrent votes and comments on one paper,
 * from any app process, recount one after another. Not FOR UPDATE: that also waits for every transaction that
 * merely references the paper (a comment's or another table's foreign key), and queued there it could close a
 * cycle with a comment that took that share lock first.
 */
export function createPostgresVoter(db: Kysely<Database>) {
  return (userId: number, paperId: string, on: boolean): Promise<VoteResult | null> =>
    db.transaction().execute(async (trx) => {
      const paper = await trx
        .selectFrom('papers')
        .select(['imported_upvotes', 'upvotes'])
        .where('id', '=', paperId)
        .where('hidden_at', 'is', null)
        .forNoKeyUpdate()
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
      if (changed === 0) return { upvotes: paper.upvotes, upvoted: on };
      const counted = await trx
        .selectFrom('votes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('paper_id', '=', paperId)
        .executeTakeFirstOrThrow();
      const upvotes = paper.imported_upvotes + Number(counted.n);
      await trx.updateTable('papers').set({ upvotes }).where('id', '=', paperId).execute();
      const feature = await trx
        .selectFrom('features')
        .select('submitted_at')
        .where('paper_id', '=', paperId)
        .executeTakeFirst();
      if (feature) {
        await trx
          .updateTable('features')
          .set({ trending_score: trendingScore(upvotes, feature.submitted_at) })
          .where('paper_id', '=', paperId)
          .execute();
      }
      return { upvotes, upvoted: on };
    });
}
