import type { Kysely } from 'kysely';
import type { Database, FollowKind, NotificationKind } from '../db/schema.ts';

/** What the notify job reads and writes (notify.ts). Shared Kysely queries: the same on both engines. */

/** Rows per INSERT statement: 6 values a row, well under SQLite's and PostgreSQL's limits on parameters. */
const INSERT_CHUNK = 1000;
/** Keys per IN list. */
const KEY_CHUNK = 500;

export type Watermark = 'papers' | 'comments';

export async function watermarkOf(db: Kysely<Database>, name: Watermark): Promise<number> {
  const row = await db
    .selectFrom('notify_state')
    .select('last_id')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? Number(row.last_id) : 0;
}

/** Starts a watermark at what the store holds now (a benchmark, or an instance that wants no back-log). */
export async function watermarkToNow(db: Kysely<Database>): Promise<void> {
  const papers = await db
    .selectFrom('papers')
    .select((eb) => eb.fn.max('pk').as('n'))
    .executeTakeFirst();
  const comments = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.max('id').as('n'))
    .executeTakeFirst();
  await setWatermark(db, 'papers', Number(papers?.n ?? 0));
  await setWatermark(db, 'comments', Number(comments?.n ?? 0));
}

async function setWatermark(db: Kysely<Database>, name: Watermark, lastId: number): Promise<void> {
  await db
    .insertInto('notify_state')
    .values({ name, last_id: lastId, updated_at: new Date().toISOString() })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ last_id: lastId, updated_at: new Date().toISOString() }),
    )
    .execute();
}

export interface NewPaper {
  pk: number;
  authors: string[];
  categories: string[];
  createdAt: string;
  hidden: boolean;
}

/** The papers stored after `afterPk`, in pk order (the order they arrived in). */
export async function papersAfter(db: Kysely<Database>, afterPk: number, limit: number): Promise<NewPaper[]> {
  const rows = await db
    .selectFrom('papers')
    .select(['pk', 'authors', 'categories', 'created_at', 'hidden_at'])
    .where('pk', '>', afterPk)
    .orderBy('pk')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    pk: Number(r.pk),
    authors: JSON.parse(r.authors) as string[],
    categories: r.categories.split(' ').filter(Boolean),
    createdAt: r.created_at,
    hidden: r.hidden_at !== null,
  }));
}

export interface FollowRow {
  id: number;
  userId: number;
  key: string;
}

/** Every follow of this kind whose key is one of `keys`: one query per 500 keys, whatever the members. */
export async function followsWithKeys(
  db: Kysely<Database>,
  kind: FollowKind,
  keys: Iterable<string>,
): Promise<FollowRow[]> {
  const all = [...new Set(keys)];
  const out: FollowRow[] = [];
  for (let i = 0; i < all.length; i += KEY_CHUNK) {
    const rows = await db
      .selectFrom('follows')
      .select(['id', 'user_id', 'key'])
      .where('kind', '=', kind)
      .where('key', 'in', all.slice(i, i + KEY_CHUNK))
      .execute();
    for (const r of rows) out.push({ id: Number(r.id), userId: Number(r.user_id), key: r.key });
  }
  return out;
}

/** The distinct saved searches, each with one of the texts its followers saved (the key folds only case). */
export async function distinctSearches(db: Kysely<Database>): Promise<{ key: string; value: string }[]> {
  const rows = await db
    .selectFrom('follows')
    .select(['key', (eb) => eb.fn.min('value').as('value')])
    .where('kind', '=', 'search')
    .groupBy('key')
    .execute();
  return rows.map((r) => ({ key: r.key, value: String(r.value) }));
}

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  paperPk: number;
  commentId: number | null;
  followId: number | null;
}

/**
 * Stores a batch's notifications and moves the watermark past the batch, in one transaction: a crash keeps
 * both or neither, and the unique index makes a repeated batch insert nothing. Returns how many are new.
 */
export async function recordNotifications(
  db: Kysely<Database>,
  watermark: Watermark,
  through: number,
  rows: NewNotification[],
  now: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let inserted = 0;
    const at = now.toISOString();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const result = await trx
        .insertInto('notifications')
        .values(
          rows.slice(i, i + INSERT_CHUNK).map((r) => ({
            user_id: r.userId,
            kind: r.kind,
            paper_pk: r.paperPk,
            comment_id: r.commentId,
            follow_id: r.followId,
            created_at: at,
            read_at: null,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    await trx
      .updateTable('notify_state')
      .set({ last_id: through, updated_at: at })
      .where('name', '=', watermark)
      .execute();
    return inserted;
  });
}

export interface NewComment {
  id: number;
  userId: number;
  parentId: number | null;
  body: string;
  createdAt: string;
  paperPk: number;
  /** deleted, or on a hidden paper: nobody is told */
  silent: boolean;
}

/** The comments made after `afterId`, in id order, with their paper's key. */
export async function commentsAfter(
  db: Kysely<Database>,
  afterId: number,
  limit: number,
): Promise<NewComment[]> {
  const rows = await db
    .selectFrom('comments')
    .innerJoin('papers', 'papers.id', 'comments.paper_id')
    .select([
      'comments.id',
      'comments.user_id',
      'comments.parent_id',
      'comments.body',
      'comments.created_at',
      'comments.deleted_at',
      'papers.pk',
      'papers.hidden_at',
    ])
    .where('comments.id', '>', afterId)
    .orderBy('comments.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    body: r.body,
    createdAt: r.created_at,
    paperPk: Number(r.pk),
    silent: r.deleted_at !== null || r.hidden_at !== null,
  }));
}

/** Who wrote each of these comments. */
export async function commentAuthors(db: Kysely<Database>, ids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < ids.length; i += KEY_CHUNK) {
    const rows = await db
      .selectFrom('comments')
      .select(['id', 'user_id'])
      .where('id', 'in', ids.slice(i, i + KEY_CHUNK))
      .execute();
    for (const r of rows) out.set(Number(r.id), Number(r.user_id));
  }
  return out;
}

/** The members with these usernames (lower case), banned ones left out: name → id. */
export async function membersNamed(db: Kysely<Database>, names: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < names.length; i += KEY_CHUNK) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'username'])
      .where((eb) => eb(eb.fn('lower', ['username']), 'in', names.slice(i, i + KEY_CHUNK)))
      .where('banned_at', 'is', null)
      .execute();
    for (const r of rows) out.set(r.username.toLowerCase(), Number(r.id));
  }
  return out;
}
