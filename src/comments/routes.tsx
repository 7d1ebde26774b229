import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { PAPER_ID, paperIdParam } from '../papers/paper-path.ts';
import { hasRole, requireViewer } from '../users/require.ts';
import { apiError, firstIssue } from '../web/api-error.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { paperPath } from '../web/format.ts';
import { formFields } from '../web/forms.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { rowId } from '../web/params.ts';
import {
  addComment,
  type CommentProblem,
  deleteOwnComment,
  editComment,
  findComment,
  moderatorDeleteComment,
} from './comments.store.ts';
import { MAX_COMMENT_LENGTH } from './markdown.ts';

const PROBLEMS: Record<CommentProblem, [number, string]> = {
  'no-paper': [404, 'No such paper.'],
  'no-parent': [404, 'The comment you reply to is not on this paper.'],
  deleted: [410, 'That comment has been deleted.'],
  'not-yours': [403, 'Only the author can change a comment.'],
  'too-late': [403, 'Comments can only be edited for a while after posting.'],
};

const bodySchema = z
  .string()
  .transform((s) => s.replace(/\r\n/g, '\n').replaceAll('\0', '').trim())
  .pipe(
    z
      .string()
      .min(1, 'A comment cannot be empty.')
      .max(MAX_COMMENT_LENGTH, `A comment is at most ${MAX_COMMENT_LENGTH} characters.`),
  );

/**
 * Comments from pages (`POST /papers/{id}/comments`, `/comments/{n}/edit|delete`) and the HF API
 * (`POST /api/papers/{id}/comment` and `…/comment/{commentId}/reply`, JSON `{"comment": "…"}`).
 */
export function registerCommentRoutes(app: Hono<AppEnv>, deps: WebDeps): void {
  const limit = { max: deps.config.COMMENTS_PER_MINUTE, windowMs: 60_000 };

  const post = async (
    c: Context<AppEnv>,
    paperId: string,
    parentId: number | null,
    text: unknown,
    api: boolean,
  ) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const limited = await deps.limiter.hit(`comment:${auth.viewer.id}`, limit);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'comments');
    const body = bodySchema.safeParse(typeof text === 'string' ? text : '');
    if (!body.success)
      return api ? apiError(c, 400, firstIssue(body.error)) : c.text(body.error.issues[0]!.message, 400);
    const result = await addComment(deps.store.db, {
      paperId,
      userId: auth.viewer.id,
      parentId,
      body: body.data,
    });
    if ('problem' in result) {
      const [status, message] = PROBLEMS[result.problem];
      return api ? apiError(c, status as 404, message) : c.text(message, status as 404);
    }
    if (api)
      return c.json(
        {
          id: String(result.id),
          paperId,
          parentId: parentId === null ? null : String(parentId),
          comment: body.data,
        },
        201,
      );
    return c.redirect(`${paperPath(paperId)}#comment-${result.id}`, 303);
  };

  app.post(`/papers/${PAPER_ID}/comments`, async (c) => {
    const parsed = paperIdParam(c.req.param('id'));
    if (!parsed) return c.text('No such paper.', 404);
    const form = await formFields(c.req);
    const parentId = form.parent_id ? Number(form.parent_id) : null;
    if (parentId !== null && !Number.isSafeInteger(parentId))
      return c.text('Not a comment to reply to.', 400);
    return post(c, parsed.id, parentId, form.body, false);
  });

  const apiComment = async (c: Context<AppEnv>, parentId: number | null) => {
    const parsed = paperIdParam(c.req.param('id') ?? '');
    if (!parsed) return apiError(c, 404, 'not an arXiv paper');
    const json = await c.req.json().catch(() => null);
    if (!json || typeof json !== 'object') return apiError(c, 400, 'send JSON: {"comment": "…"}');
    return post(c, parsed.id, parentId, (json as { comment?: unknown }).comment, true);
  };
  app.post(`/api/papers/${PAPER_ID}/comment`, (c) => apiComment(c, null));
  app.post(`/api/papers/${PAPER_ID}/comment/:parent/reply`, (c) => {
    const parent = rowId(c.req.param('parent'));
    if (parent === null) return apiError(c, 404, 'not a comment to reply to');
    return apiComment(c, parent);
  });

  app.post('/comments/:id/edit', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const id = rowId(c.req.param('id'));
    if (id === null) return c.text('No such comment.', 404);
    const body = bodySchema.safeParse((await formFields(c.req)).body ?? '');
    if (!body.success) return c.text(body.error.issues[0]!.message, 400);
    const result = await editComment(deps.store.db, {
      id,
      userId: auth.viewer.id,
      body: body.data,
      windowMinutes: deps.config.COMMENT_EDIT_MINUTES,
    });
    if ('problem' in result) return c.text(PROBLEMS[result.problem][1], PROBLEMS[result.problem][0] as 403);
    return c.redirect(`${paperPath(result.paperId)}#comment-${id}`, 303);
  });

  app.post('/comments/:id/delete', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const id = rowId(c.req.param('id'));
    const comment = id === null ? null : await findComment(deps.store.db, id);
    if (id === null || !comment) return c.text('No such comment.', 404);
    if (comment.user_id !== auth.viewer.id && hasRole(auth.viewer, 'moderator')) {
      const reason = ((await formFields(c.req)).reason ?? '').trim().slice(0, 500) || null;
      const done = await moderatorDeleteComment(deps.store.db, auth.viewer.id, id, reason);
      if (!done) return c.text(PROBLEMS.deleted[1], 410);
      return c.redirect(`${paperPath(done.paperId)}#comments`, 303);
    }
    const result = await deleteOwnComment(deps.store.db, id, auth.viewer.id);
    if ('problem' in result) return c.text(PROBLEMS[result.problem][1], PROBLEMS[result.problem][0] as 403);
    return c.redirect(`${paperPath(result.paperId)}#comments`, 303);
  });
}
