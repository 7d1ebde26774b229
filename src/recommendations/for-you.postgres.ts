import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type ForYouData, mergePositives, sampleByProbes } from './for-you.store.ts';

/** The "for you" job's reads and writes on PostgreSQL: the twin of for-you.sqlite.ts, through Kysely. */
export function createPostgresForYouStore(db: Kysely<Database>): ForYouData {
  const text = (r: { title: string; abstract: string }) => `${r.title}\n${r.abstract}`;
  return {
    async members() {
      const voters = db
        .selectFrom('votes as v')
        .innerJoin('users as u', 'u.id', 'v.user_id')
        .select('v.user_id')
        .where('u.banned_at', 'is', null);
      const collectors = db
        .selectFrom('collection_papers as cp')
        .innerJoin('collections as c', 'c.id', 'cp.collection_id')
        .innerJoin('users as u', 'u.id', 'c.user_id')
        .select('c.user_id')
        .where('u.banned_at', 'is', null);
      const rows = await voters.union(collectors).orderBy('user_id').execute();
      return rows.map((r) => Number(r.user_id));
    },

    async positives(userId) {
      const upvoted = await db
        .selectFrom('votes as v')
        .innerJoin('papers as p', 'p.id', 'v.paper_id')
        .select('v.paper_id')
        .where('v.user_id', '=', userId)
        .where('p.hidden_at', 'is', null)
        .orderBy('v.created_at', 'desc')
        .limit(1000)
        .execute();
      const collected = await db
        .selectFrom('collection_papers as cp')
        .innerJoin('collections as c', 'c.id', 'cp.collection_id')
        .innerJoin('papers as p', 'p.id', 'cp.paper_id')
        .select('cp.paper_id')
        .select((eb) => eb.fn.max('cp.added_at').as('added_at'))
        .where('c.user_id', '=', userId)
        .where('p.hidden_at', 'is', null)
        .groupBy('cp.paper_id')
        .orderBy('added_at', 'desc')
        .limit(1000)
        .execute();
      return mergePositives(
        upvoted.map((r) => r.paper_id),
        collected.map((r) => r.paper_id),
      );
    },

    async texts(ids) {
      const out = new Map<string, string>();
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await db
          .selectFrom('papers')
          .select(['id', 'title', 'abstract'])
          .where('id', 'in', ids.slice(i, i + 1000))
          .execute();
        for (const r of rows) out.set(r.id, text(r));
      }
      return out;
    },

    async candidates(limit) {
      const rows = await db
        .selectFrom('papers')
        .select(['id', 'title', 'abstract'])
        .where('hidden_at', 'is', null)
        .orderBy('published_at', 'desc')
        .orderBy('pk', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, text: text(r) }));
    },

    async sample(n, random) {
      const range = await db
        .selectFrom('papers')
        .select((eb) => [eb.fn.min('pk').as('lo'), eb.fn.max('pk').as('hi')])
        .executeTakeFirst();
      const bounds = {
        lo: range?.lo == null ? null : Number(range.lo),
        hi: range?.hi == null ? null : Number(range.hi),
      };
      return sampleByProbes(bounds, n, random, (pk) =>
        db
          .selectFrom('papers')
          .select(['id', 'title', 'abstract'])
          .where('pk', '>=', pk)
          .where('hidden_at', 'is', null)
          .orderBy('pk')
          .limit(1)
          .executeTakeFirst(),
      );
    },

    async lastHash(userId) {
      const row = await db
        .selectFrom('recommendation_state')
        .select('positives_hash')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.positives_hash ?? null;
    },

    async save(userId, recs, hash, positives, at) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('recommendations').where('user_id', '=', userId).execute();
        if (recs.length > 0) {
          await trx
            .insertInto('recommendations')
            .values(
              recs.map((r, i) => ({
                user_id: userId,
                rank: i + 1,
                paper_id: r.paperId,
                score: r.score,
                reason_kind: r.reasonKind,
                reason_paper_id: r.reasonPaperId,
                computed_at: at,
              })),
            )
            .execute();
        }
        await trx
          .insertInto('recommendation_state')
          .values({ user_id: userId, positives_hash: hash, positives, computed_at: at })
          .onConflict((oc) =>
            oc.column('user_id').doUpdateSet({ positives_hash: hash, positives, computed_at: at }),
          )
          .execute();
      });
    },
  };
}
