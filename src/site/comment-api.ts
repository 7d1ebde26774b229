import type { Hono } from 'hono';
import { listComments, type StoredComment } from '../comments/comments.store.ts';
import { buildThread, type ThreadNode } from '../comments/thread.ts';
import { PAPER_ID, paperIdParam } from '../papers/paper-path.ts';
import { findPaper } from '../papers/papers.store.ts';
import { apiError } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import { rowId } from '../web/params.ts';
import type { AppDeps } from './deps.ts';
import { type HfUser, hfUser, isoMillis } from './hf-json.ts';

/** A comment as the API reads it: the fields the write endpoints answer with, its author, dates and replies. */
export interface CommentJson {
  id: string;
  paperId: string;
  parentId: string | null;
  /** markdown, as written; "" for a deleted comment kept because it has replies */
  comment: string;
  author: HfUser;
  createdAt: string | null;
  editedAt: string | null;
  deleted: boolean;
  replies: CommentJson[];
}

function commentJson(node: ThreadNode<StoredComment>, baseUrl: string): CommentJson {
  const c = node.comment;
  return {
    id: String(c.id),
    paperId: c.paperId,
    parentId: c.parentId === null ? null : String(c.parentId),
    comment: c.deleted ? '' : c.body,
    author: hfUser(c.username, baseUrl),
    createdAt: isoMillis(c.createdAt),
    editedAt: isoMillis(c.editedAt),
    deleted: c.deleted,
    replies: node.replies.map((r) => commentJson(r, baseUrl)),
  };
}

function findNode(nodes: ThreadNode<StoredComment>[], id: number): ThreadNode<StoredComment> | null {
  for (const node of nodes) {
    if (node.comment.id === id) return node;
    const inner = findNode(node.replies, id);
    if (inner) return inner;
  }
  return null;
}

/**
 * The comments read back (Paperboy's addition: Hugging Face documents only the two write endpoints):
 * `GET /api/papers/{id}/comments`, the thread oldest first with replies nested, and
 * `GET /api/papers/{id}/comment/{commentId}`, one comment with its replies.
 */
export function registerCommentApi(app: Hono<AppEnv>, deps: AppDeps): void {
  const thread = async (raw: string | undefined) => {
    const parsed = paperIdParam(raw);
    if (!parsed) return null;
    const paper = await findPaper(deps.store.db, parsed.id);
    if (!paper || paper.hidden) return { id: parsed.id, nodes: null, deleted: new Set<number>() };
    const rows = await listComments(deps.store.db, parsed.id);
    return {
      id: parsed.id,
      nodes: buildThread(rows),
      deleted: new Set(rows.filter((r) => r.deleted).map((r) => r.id)),
    };
  };

  app.get(`/api/papers/${PAPER_ID}/comments`, async (c) => {
    const found = await thread(c.req.param('id'));
    if (!found) return apiError(c, 400, 'not an arXiv id (e.g. 2312.07000 or hep-th/9901001)');
    if (!found.nodes) return apiError(c, 404, `paper ${found.id} not found`);
    return c.json(found.nodes.map((n) => commentJson(n, deps.site.baseUrl)));
  });

  app.get(`/api/papers/${PAPER_ID}/comment/:comment`, async (c) => {
    const commentId = rowId(c.req.param('comment'));
    if (commentId === null) return apiError(c, 400, 'commentId must be a comment id (a whole number)');
    const found = await thread(c.req.param('id'));
    if (!found) return apiError(c, 400, 'not an arXiv id (e.g. 2312.07000 or hep-th/9901001)');
    if (!found.nodes) return apiError(c, 404, `paper ${found.id} not found`);
    const node = findNode(found.nodes, commentId);
    if (!node && found.deleted.has(commentId)) return apiError(c, 410, 'That comment has been deleted.');
    if (!node) return apiError(c, 404, `no comment ${commentId} on paper ${found.id}`);
    return c.json(commentJson(node, deps.site.baseUrl));
  });
}
