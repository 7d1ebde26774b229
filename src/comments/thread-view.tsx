import { raw } from 'hono/html';
import { hasRole } from '../users/require.ts';
import type { Viewer } from '../users/users.store.ts';
import { shortDate } from '../web/dates.ts';
import { paperPath } from '../web/format.ts';
import { CsrfField } from '../web/forms.tsx';
import type { StoredComment } from './comments.store.ts';
import { renderCommentMarkdown } from './markdown.ts';
import { buildThread, type ThreadNode } from './thread.ts';

export interface ThreadContext {
  paperId: string;
  viewer: Viewer | null;
  csrf: string | null;
  /** the member who featured the paper, for the "submitter" badge */
  submitterId: number | null;
  /** members a moderator confirmed as authors of this paper, for the "author" badge */
  authorIds?: Set<number>;
  editWindowMinutes: number;
}

/** The discussion of a paper: the thread, reply/edit/delete controls as plain forms, and the new-comment form. */
export function CommentsSection(props: { comments: StoredComment[]; ctx: ThreadContext }) {
  const { comments, ctx } = props;
  const tree = buildThread(comments);
  const live = comments.filter((c) => !c.deleted).length;
  return (
    <section aria-labelledby="comments">
      <h2 id="comments">
        {live} comment{live === 1 ? '' : 's'}
      </h2>
      {ctx.viewer ? (
        <CommentForm ctx={ctx} parentId={null} label="Add a comment" />
      ) : (
        <p class="muted">
          <a href={`/login?next=${encodeURIComponent(`${paperPath(ctx.paperId)}#comments`)}`}>Log in</a> to
          join the discussion.
        </p>
      )}
      {tree.length > 0 ? <CommentList nodes={tree} ctx={ctx} /> : <p class="muted">No comments yet.</p>}
    </section>
  );
}

function CommentList(props: { nodes: ThreadNode<StoredComment>[]; ctx: ThreadContext }) {
  return (
    <ol class="comments">
      {props.nodes.map((node) => (
        <CommentItem node={node} ctx={props.ctx} />
      ))}
    </ol>
  );
}

function CommentItem(props: { node: ThreadNode<StoredComment>; ctx: ThreadContext }) {
  const { comment, replies } = props.node;
  const { ctx } = props;
  const mine = ctx.viewer?.id === comment.userId;
  const canEdit = mine && Date.now() - Date.parse(comment.createdAt) <= ctx.editWindowMinutes * 60_000;
  const moderator = hasRole(ctx.viewer, 'moderator');
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      {comment.deleted ? (
        <p class="deleted">[deleted]</p>
      ) : (
        <>
          <div class="comment-head">
            <a href={`/u/${comment.username}`}>
              <strong>{comment.username}</strong>
            </a>
            {comment.userId === ctx.submitterId ? <span class="badge">submitter</span> : null}
            {ctx.authorIds?.has(comment.userId) ? <span class="badge author">author</span> : null}
            {comment.role !== 'member' ? <span class="badge">{comment.role}</span> : null}
            <a href={`#comment-${comment.id}`}>
              <time datetime={comment.createdAt}>{shortDate(comment.createdAt)}</time>
            </a>
            {comment.editedAt ? <span>(edited)</span> : null}
          </div>
          <div class="comment-body">{raw(renderCommentMarkdown(comment.body))}</div>
          {ctx.viewer ? (
            <div class="comment-actions">
              <details>
                <summary>Reply</summary>
                <CommentForm ctx={ctx} parentId={comment.id} label="Reply" />
              </details>
              {canEdit ? (
                <details>
                  <summary>Edit</summary>
                  <form method="post" action={`/comments/${comment.id}/edit`}>
                    <CsrfField csrf={ctx.csrf} />
                    <textarea name="body" required maxlength={10_000} aria-label="Comment">
                      {comment.body}
                    </textarea>
                    <button type="submit">Save</button>
                  </form>
                </details>
              ) : null}
              {mine || moderator ? (
                <form method="post" action={`/comments/${comment.id}/delete`} class="inline">
                  <CsrfField csrf={ctx.csrf} />
                  <button type="submit" class="link">
                    {mine ? 'Delete' : 'Delete (moderator)'}
                  </button>
                </form>
              ) : null}
            </div>
          ) : null}
        </>
      )}
      {replies.length > 0 ? <CommentList nodes={replies} ctx={ctx} /> : null}
    </li>
  );
}

function CommentForm(props: { ctx: ThreadContext; parentId: number | null; label: string }) {
  return (
    <form method="post" action={`${paperPath(props.ctx.paperId)}/comments`} class="comment-form">
      <CsrfField csrf={props.ctx.csrf} />
      {props.parentId !== null ? (
        <input type="hidden" name="parent_id" value={String(props.parentId)} />
      ) : null}
      <textarea
        name="body"
        required
        maxlength={10_000}
        aria-label={props.label}
        placeholder="Markdown: *emphasis*, `code`, [links](https://…)"
      />
      <button type="submit" class="primary">
        {props.label}
      </button>
    </form>
  );
}
