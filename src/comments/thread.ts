/**
 * Builds the comment tree of a paper from flat rows. Pure. Replies follow their parent, oldest first;
 * a reply whose parent is missing is shown at the top level. A deleted comment stays as a placeholder only
 * while it has live replies, so the thread stays readable.
 */
export interface CommentRow {
  id: number;
  parentId: number | null;
  createdAt: string;
  deleted: boolean;
}

export interface ThreadNode<T extends CommentRow> {
  comment: T;
  replies: ThreadNode<T>[];
}

export function buildThread<T extends CommentRow>(rows: T[]): ThreadNode<T>[] {
  const nodes = new Map<number, ThreadNode<T>>();
  for (const row of rows) nodes.set(row.id, { comment: row, replies: [] });
  const roots: ThreadNode<T>[] = [];
  const byTime = [...rows].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  for (const row of byTime) {
    const node = nodes.get(row.id)!;
    const parent = row.parentId !== null && row.parentId !== row.id ? nodes.get(row.parentId) : undefined;
    (parent ? parent.replies : roots).push(node);
  }
  return prune(roots);
}

function prune<T extends CommentRow>(nodes: ThreadNode<T>[]): ThreadNode<T>[] {
  const kept: ThreadNode<T>[] = [];
  for (const node of nodes) {
    node.replies = prune(node.replies);
    if (!node.comment.deleted || node.replies.length > 0) kept.push(node);
  }
  return kept;
}
