import type { Kysely, Transaction } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import { logModeration } from '../moderation/moderation.store.ts';

export interface StoredComment {
  id: number;
  paperId: string;
  parentId: number | null;
  userId: number;
  username: string;
  role: Role;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

export type CommentProblem = 'no-paper' | 'no-parent' | 'not-yours' | 'too-late' | 'deleted';

/**
 * Locks the paper's row for this transaction (a no-op UPDATE: a row lock on PostgreSQL, the write lock on SQLite);
 * false when there is no such paper, or, with `visibleOnly`, when it is hidden. A transaction that changes a
 * paper's comments calls it first: on PostgreSQL, inserting a comment share-locks the paper's row (the foreign
 * key), and a transaction that took that share lock and then wanted the row for the recount could wait behind a
 * vote queued for the same row, which waited on it ("deadlock detected"). Taken first, the one lock is the
 * strongest this transaction needs, and concurrent changes to one paper's counts queue in one line.
 */
export async function lockPaper(
  trx: Transaction<Database>,
  paperId: string,
  visibleOnly = false,
): Promise<boolean> {
  let update = trx
    .updateTable('papers')
    .set((eb) => ({ num_comments: eb.ref('num_comments') }))
    .where('id', '=', paperId);
  if (visibleOnly) update = update.where('hidden_at', 'is', null);
  return Number((await update.executeTakeFirst()).numUpdatedRows) > 0;
}

/**
 * num_comments = the paper's comments that are not deleted; recounted in the transaction that changed them,
 * which locked the paper's row first (`lockPaper`), so on PostgreSQL, where transactions run side by side, the
 * count is taken after any other transaction on the same paper has committed (READ COMMITTED: each statement
 * sees what was committed before it began).
 */
export async function recountComments(trx: Transaction<Database>, paperId: string): Promise<void> {
  const row = await trx
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('paper_id', '=', paperId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('papers')
    .set({ num_comments: Number(row.n) })
    .where('id', '=', paperId)
    .execute();
}

/** Adds a comment (or a reply to one of the same paper). */
export async function addComment(
  db: Kysely<Database>,
  input: { paperId: string; userId: number; parentId: number | null; body: string },
): Promise<{ id: number } | { problem: CommentProblem }> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockPaper(trx, input.paperId, true))) return { problem: 'no-paper' as const };
    if (input.parentId !== null) {
      const parent = await trx
        .selectFrom('comments')
        .select(['id', 'deleted_at'])
        .where('id', '=', input.parentId)
        .where('paper_id', '=', input.paperId)
        .executeTakeFirst();
      if (!parent) return { problem: 'no-parent' as const };
      if (parent.deleted_at) return { problem: 'deleted' as const };
    }
    const row = await trx
      .insertInto('comments')
      .values({
        paper_id: input.paperId,
        user_id: input.userId,
        parent_id: input.parentId,
        body: input.body,
        created_at: new Date().toISOString(),
        edited_at: null,
        deleted_at: null,
        deleted_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recountComments(trx, input.paperId);
    return { id: row.id };
  });
}

export async function listComments(db: Kysely<Database>, paperId: string): Promise<StoredComment[]> {
  const rows = await db
    .selectFrom('comments')
    .innerJoin('users', 'users.id', 'comments.user_id')
    .select([
      'comments.id',
      'comments.paper_id',
      'comments.parent_id',
      'comments.user_id',
      'users.username',
      'users.role',
      'comments.body',
      'comments.created_at',
      'comments.edited_at',
      'comments.deleted_at',
    ])
    .where('comments.paper_id', '=', paperId)
    .orderBy('comments.created_at')
    .limit(2000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    paperId: r.paper_id,
    parentId: r.parent_id,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    body: r.deleted_at ? '' : r.body,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deleted: r.deleted_at !== null,
  }));
}

export async function findComment(db: Kysely<Database>, id: number) {
  return (await db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** The author edits a comment within the window after posting it. */
export async function editComment(
  db: Kysely<Database>,
  input: { id: number; userId: number; body: string; windowMinutes: number },
): Promise<{ paperId: string } | { problem: CommentProblem }> {
  const comment = await findComment(db, input.id);
  if (!comment || comment.deleted_at) return { problem: 'deleted' };
  if (comment.user_id !== input.userId) return { problem: 'not-yours' };
  if (Date.now() - Date.parse(comment.created_at) > input.windowMinutes * 60_000)
    return { problem: 'too-late' };
  await db
    .updateTable('comments')
    .set({ body: input.body, edited_at: new Date().toISOString() })
    .where('id', '=', input.id)
    .execute();
  return { paperId: comment.paper_id };
}

/** The author deletes their comment; it stays as "[deleted]" while it has replies. */
export async function deleteOwnComment(
  db: Kysely<Database>,
  id: number,
  userId: number,
): Promise<{ paperId: string } | { problem: CommentProblem }> {
  return db.transaction().execute(async (trx) => {
    const comment = await trx
      .selectFrom('comments')
      .select(['user_id', 'paper_id', 'deleted_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!comment || comment.deleted_at) return { problem: 'deleted' as const };
    if (comment.user_id !== userId) return { problem: 'not-yours' as const };
    await lockPaper(trx, comment.paper_id);
    await trx
      .updateTable('comments')
      .set({ deleted_at: new Date().toISOString(), deleted_by: userId })
      .where('id', '=', id)
      .execute();
    await recountComments(trx, comment.paper_id);
    return { paperId: comment.paper_id };
  });
}

/** A member's latest comments, for their profile. */
export async function commentsByUser(db: Kysely<Database>, userId: number, limit: number) {
  return db
    .selectFrom('comments')
    .innerJoin('papers', 'papers.id', 'comments.paper_id')
    .select(['comments.id', 'comments.paper_id', 'papers.title', 'comments.body', 'comments.created_at'])
    .where('comments.user_id', '=', userId)
    .where('comments.deleted_at', 'is', null)
    .where('papers.hidden_at', 'is', null)
    .orderBy('comments.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** A moderator deletes someone's comment: the deletion and its moderation-log row in one transaction. */
export async function moderatorDeleteComment(
  db: Kysely<Database>,
  moderatorId: number,
  commentId: number,
  reason: string | null,
) {
  return db.transaction().execute(async (trx) => {
    const comment = await trx
      .selectFrom('comments')
      .select(['paper_id', 'deleted_at'])
      .where('id', '=', commentId)
      .executeTakeFirst();
    if (!comment || comment.deleted_at) return null;
    await lockPaper(trx, comment.paper_id);
    await trx
      .updateTable('comments')
      .set({ deleted_at: new Date().toISOString(), deleted_by: moderatorId })
      .where('id', '=', commentId)
      .execute();
    await recountComments(trx, comment.paper_id);
    await logModeration(trx, moderatorId, 'delete-comment', `comment:${commentId}`, reason);
    return { paperId: comment.paper_id };
  });
}
