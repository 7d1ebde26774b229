import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { trendingScore } from '../ranking/trending.ts';

export type SubmitProblem =
  | { kind: 'no-paper' }
  | { kind: 'hidden' }
  | { kind: 'already-featured'; day: string }
  | { kind: 'too-old'; publishedAt: string; maxAgeDays: number }
  | { kind: 'daily-limit'; limit: number };

export interface SubmitRules {
  /** only papers first published within this many days */
  maxAgeDays: number;
  /** features one member may make per UTC day */
  dailyLimit: number;
}

/**
 * Puts a paper on today's list for a member, checking the rules inside one transaction: the paper exists and is
 * not hidden, it is not featured yet (once per paper: the features table's primary key), it was published within
 * the window, and the member is under the daily cap.
 */
export async function featurePaper(
  db: Kysely<Database>,
  input: { paperId: string; userId: number; username: string; now: Date },
  rules: SubmitRules,
): Promise<{ day: string } | { problem: SubmitProblem }> {
  try {
    return await featureInTransaction(db, input, rules);
  } catch (err) {
    // two members featuring the same paper at once: the features primary key lets one in
    if (!isUniqueViolation(err)) throw err;
    const feature = await db
      .selectFrom('features')
      .select('day')
      .where('paper_id', '=', input.paperId)
      .executeTakeFirst();
    if (!feature) throw err;
    return { problem: { kind: 'already-featured', day: feature.day } };
  }
}

/** A unique-constraint violation, from either engine. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

async function featureInTransaction(
  db: Kysely<Database>,
  input: { paperId: string; userId: number; username: string; now: Date },
  rules: SubmitRules,
): Promise<{ day: string } | { problem: SubmitProblem }> {
  return db.transaction().execute(async (trx) => {
    const paper = await trx
      .selectFrom('papers')
      .select(['id', 'published_at', 'hidden_at', 'upvotes'])
      .where('id', '=', input.paperId)
      .executeTakeFirst();
    if (!paper) return { problem: { kind: 'no-paper' } };
    if (paper.hidden_at) return { problem: { kind: 'hidden' } };
    const existing = await trx
      .selectFrom('features')
      .select('day')
      .where('paper_id', '=', input.paperId)
      .executeTakeFirst();
    if (existing) return { problem: { kind: 'already-featured', day: existing.day } };
    const oldest = input.now.getTime() - rules.maxAgeDays * 86_400_000;
    if (paper.published_at && Date.parse(paper.published_at) < oldest) {
      return { problem: { kind: 'too-old', publishedAt: paper.published_at, maxAgeDays: rules.maxAgeDays } };
    }
    const day = input.now.toISOString().slice(0, 10);
    const today = await trx
      .selectFrom('features')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('submitter_id', '=', input.userId)
      .where('submitted_at', '>=', `${day}T00:00:00.000Z`)
      .executeTakeFirstOrThrow();
    if (Number(today.n) >= rules.dailyLimit)
      return { problem: { kind: 'daily-limit', limit: rules.dailyLimit } };
    const submittedAt = input.now.toISOString();
    await trx
      .insertInto('features')
      .values({
        paper_id: input.paperId,
        day,
        submitted_at: submittedAt,
        submitter: input.username,
        submitter_id: input.userId,
        trending_score: trendingScore(paper.upvotes, submittedAt),
        source: 'member',
        created_at: submittedAt,
      })
      .execute();
    return { day };
  });
}

/** The features a member made, newest first, for their profile. */
export async function featuresBySubmitter(db: Kysely<Database>, userId: number, limit: number) {
  return db
    .selectFrom('features')
    .innerJoin('papers', 'papers.id', 'features.paper_id')
    .select(['features.paper_id', 'features.day', 'papers.title', 'papers.upvotes'])
    .where('features.submitter_id', '=', userId)
    .where('papers.hidden_at', 'is', null)
    .orderBy('features.submitted_at', 'desc')
    .limit(limit)
    .execute();
}
