import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Paper } from '../papers/paper.ts';
import { PAPER_COLUMNS, paperFromRow } from '../papers/papers.store.ts';

/** A paper on a daily list. */
export interface FeatureItem {
  paper: Paper;
  /** the day it was featured, YYYY-MM-DD */
  day: string;
  submittedAt: string;
  submitter: string | null;
  submitterId: number | null;
  trendingScore: number;
}

const FEATURE_COLUMNS = [
  ...PAPER_COLUMNS,
  'features.day',
  'features.submitted_at',
  'features.submitter',
  'features.trending_score',
  'features.submitter_id',
] as const;

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('features')
    .innerJoin('papers', 'papers.id', 'features.paper_id')
    .select(FEATURE_COLUMNS);
}

type FeatureRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function itemFromRow(row: FeatureRow): FeatureItem {
  return {
    paper: paperFromRow(row),
    day: row.day,
    submittedAt: row.submitted_at,
    submitter: row.submitter,
    submitterId: row.submitter_id,
    trendingScore: row.trending_score,
  };
}

export type FeatureSort = 'upvotes' | 'publishedAt' | 'trending';

export interface FeatureQuery {
  /** inclusive day range; null for all days */
  start: string | null;
  end: string | null;
  submitter: string | null;
  sort: FeatureSort;
  offset: number;
  limit: number;
}

/**
 * Features, filtered and sorted:
 * - upvotes: most upvoted first (ties: the earlier submission first), the daily list's order;
 * - publishedAt: newest features first;
 * - trending: by the stored trending score (ranking/trending.ts).
 */
export async function listFeatures(db: Kysely<Database>, q: FeatureQuery): Promise<FeatureItem[]> {
  let query = baseQuery(db).where('papers.hidden_at', 'is', null);
  if (q.start) query = query.where('features.day', '>=', q.start);
  if (q.end) query = query.where('features.day', '<=', q.end);
  if (q.submitter) query = query.where('features.submitter', '=', q.submitter);
  if (q.sort === 'upvotes') {
    query = query
      .orderBy('papers.upvotes', 'desc')
      .orderBy('features.submitted_at', 'asc')
      .orderBy('features.paper_id', 'asc');
  } else if (q.sort === 'publishedAt') {
    query = query.orderBy('features.submitted_at', 'desc').orderBy('features.paper_id', 'desc');
  } else {
    query = query.orderBy('features.trending_score', 'desc').orderBy('features.paper_id', 'desc');
  }
  const rows = await query.limit(q.limit).offset(q.offset).execute();
  return rows.map(itemFromRow);
}

export async function countFeatures(db: Kysely<Database>, start: string, end: string): Promise<number> {
  const row = await db
    .selectFrom('features')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('day', '>=', start)
    .where('day', '<=', end)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findFeature(db: Kysely<Database>, paperId: string) {
  return (
    (await db.selectFrom('features').selectAll().where('paper_id', '=', paperId).executeTakeFirst()) ?? null
  );
}

/** The latest day that has features, or null on an empty instance. */
export async function latestFeatureDay(db: Kysely<Database>): Promise<string | null> {
  const row = await db
    .selectFrom('features')
    .select((eb) => eb.fn.max('day').as('day'))
    .executeTakeFirst();
  return (row?.day as string | null | undefined) ?? null;
}

/** The nearest days with features before `start` and after `end`, for previous/next links. */
export async function neighbourFeatureDays(
  db: Kysely<Database>,
  start: string,
  end: string,
): Promise<{ previous: string | null; next: string | null }> {
  const [prev, next] = await Promise.all([
    db
      .selectFrom('features')
      .select((eb) => eb.fn.max('day').as('day'))
      .where('day', '<', start)
      .executeTakeFirst(),
    db
      .selectFrom('features')
      .select((eb) => eb.fn.min('day').as('day'))
      .where('day', '>', end)
      .executeTakeFirst(),
  ]);
  return { previous: (prev?.day as string | null) ?? null, next: (next?.day as string | null) ?? null };
}

/** The features of these papers (one query), by paper id. */
export async function findFeatures(db: Kysely<Database>, paperIds: readonly string[]) {
  if (paperIds.length === 0) return new Map<string, { submitted_at: string; submitter: string | null }>();
  const rows = await db
    .selectFrom('features')
    .select(['paper_id', 'submitted_at', 'submitter'])
    .where('paper_id', 'in', paperIds.slice(0, 500))
    .execute();
  return new Map(rows.map((r) => [r.paper_id, { submitted_at: r.submitted_at, submitter: r.submitter }]));
}
