import type { Kysely } from 'kysely';
import type { Database, FollowKind, NotificationKind } from '../db/schema.ts';
import type { Paper } from '../papers/paper.ts';
import { PAPER_COLUMNS, paperFromRow } from '../papers/papers.store.ts';

/** The header shows up to this many ("99+" beyond): counting stops there, so a long back-log costs no more. */
export const UNREAD_CAP = 99;

/** A member's unread notifications, counted up to UNREAD_CAP + 1 through the partial index of unread rows. */
export async function unreadCount(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .limit(UNREAD_CAP + 1)
        .as('unread'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NotificationItem {
  id: number;
  kind: NotificationKind;
  createdAt: string;
  read: boolean;
  paperId: string;
  paperTitle: string;
  /** replies and mentions: the comment, its writer */
  commentId: number | null;
  commentBody: string | null;
  commentBy: string | null;
  /** papers: what matched */
  followKind: FollowKind | null;
  followValue: string | null;
}

function listQuery(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('papers as p', 'p.pk', 'n.paper_pk')
    .leftJoin('comments as c', 'c.id', 'n.comment_id')
    .leftJoin('users as u', 'u.id', 'c.user_id')
    .leftJoin('follows as f', 'f.id', 'n.follow_id')
    .select([
      'n.id',
      'n.kind',
      'n.created_at',
      'n.read_at',
      'p.id as paper_id',
      'p.title',
      'n.comment_id',
      'c.body',
      'c.deleted_at',
      'u.username',
      'f.kind as follow_kind',
      'f.value as follow_value',
    ])
    .where('n.user_id', '=', userId)
    .where('p.hidden_at', 'is', null)
    .orderBy('n.id', 'desc');
}

type ListRow = Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number];

function itemOf(r: ListRow): NotificationItem {
  return {
    id: Number(r.id),
    kind: r.kind,
    createdAt: r.created_at,
    read: r.read_at !== null,
    paperId: r.paper_id,
    paperTitle: r.title,
    commentId: r.comment_id === null ? null : Number(r.comment_id),
    commentBody: r.deleted_at ? null : (r.body ?? null),
    commentBy: r.username ?? null,
    followKind: r.follow_kind ?? null,
    followValue: r.follow_value ?? null,
  };
}

/** The newest unread notifications, then the newest read ones: two index walks, no sort of a member's history. */
export async function listNotifications(
  db: Kysely<Database>,
  userId: number,
  limit: number,
): Promise<NotificationItem[]> {
  const unread = await listQuery(db, userId).where('n.read_at', 'is', null).limit(limit).execute();
  const read =
    unread.length < limit
      ? await listQuery(db, userId)
          .where('n.read_at', 'is not', null)
          .limit(limit - unread.length)
          .execute()
      : [];
  return [...unread, ...read].map(itemOf);
}

/** Marks one of the member's notifications read; false when it is not theirs (or no such one). */
export async function markRead(db: Kysely<Database>, userId: number, id: number): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return true;
  const exists = await db
    .selectFrom('notifications')
    .select('id')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return exists !== undefined;
}

export async function markAllRead(db: Kysely<Database>, userId: number): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: new Date().toISOString() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The newest papers the member's follows matched, with what matched each (the following page). */
export async function followedPapers(
  db: Kysely<Database>,
  userId: number,
  limit: number,
): Promise<{ paper: Paper; followKind: FollowKind | null; followValue: string | null }[]> {
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('papers', 'papers.pk', 'n.paper_pk')
    .leftJoin('follows as f', 'f.id', 'n.follow_id')
    .select(PAPER_COLUMNS)
    .select(['f.kind as follow_kind', 'f.value as follow_value'])
    .where('n.user_id', '=', userId)
    .where('n.kind', '=', 'paper')
    .where('papers.hidden_at', 'is', null)
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    paper: paperFromRow(r),
    followKind: r.follow_kind ?? null,
    followValue: r.follow_value ?? null,
  }));
}

/** The member's unread notifications with afterId < id ≤ throughId, newest first (one mail's content). */
export async function unreadBetween(
  db: Kysely<Database>,
  userId: number,
  afterId: number,
  throughId: number,
  limit: number,
): Promise<NotificationItem[]> {
  const rows = await listQuery(db, userId)
    .where('n.read_at', 'is', null)
    .where('n.id', '>', afterId)
    .where('n.id', '<=', throughId)
    .limit(limit)
    .execute();
  return rows.map(itemOf);
}
