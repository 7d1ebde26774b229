import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Paper } from '../papers/paper.ts';
import { PAPER_COLUMNS, paperFromRow } from '../papers/papers.store.ts';
import type { Recommendation } from './recommend.ts';

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

/** What the "for you" job reads and writes, on either engine (for-you.sqlite.ts, for-you.postgres.ts). */
export interface PaperText {
  id: string;
  text: string;
}

export type PositiveKind = 'upvoted' | 'collected';

export interface ForYouData {
  /** members with at least one upvote or collected paper (banned members left out) */
  members(): Promise<number[]>;
  /** a member's positives: upvoted papers, then collected ones not upvoted */
  positives(userId: number): Promise<{ id: string; kind: PositiveKind }[]>;
  /** title and abstract of papers, by id */
  texts(ids: string[]): Promise<Map<string, string>>;
  /** the newest papers: what recommendations are drawn from */
  candidates(limit: number): Promise<PaperText[]>;
  /** about `n` papers drawn at random from the whole store (probing random keys), for negatives */
  sample(n: number, random: () => number): Promise<PaperText[]>;
  lastHash(userId: number): Promise<string | null>;
  /** a member's recommendations and state, replacing the last ones in one transaction */
  save(userId: number, recs: Recommendation[], hash: string, positives: number, at: string): Promise<void>;
}

/** Upvoted first, then collected papers not upvoted. */
export function mergePositives(upvoted: string[], collected: string[]): { id: string; kind: PositiveKind }[] {
  const seen = new Set(upvoted);
  const out: { id: string; kind: PositiveKind }[] = upvoted.map((id) => ({ id, kind: 'upvoted' }));
  for (const id of collected) if (!seen.has(id)) out.push({ id, kind: 'collected' });
  return out;
}

/** Random probes into [lo, hi] until `n` distinct papers are found (or 3n probes are spent). */
export async function sampleByProbes(
  range: { lo: number | null; hi: number | null },
  n: number,
  random: () => number,
  atOrAfter: (pk: number) => Promise<{ id: string; title: string; abstract: string } | undefined>,
): Promise<PaperText[]> {
  const { lo, hi } = range;
  if (lo === null || hi === null) return [];
  const out = new Map<string, string>();
  for (let tries = 0; out.size < n && tries < n * 3; tries++) {
    const r = await atOrAfter(lo + Math.floor(random() * (hi - lo + 1)));
    if (r) out.set(r.id, `${r.title}\n${r.abstract}`);
  }
  return [...out].map(([id, text]) => ({ id, text }));
}
