import { describe, expect, it } from 'vitest';
import { buildThread } from './thread.ts';

const row = (id: number, parentId: number | null, minute: number, deleted = false) => ({
  id,
  parentId,
  createdAt: `2025-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`,
  deleted,
});
const shape = (nodes: ReturnType<typeof buildThread>): unknown =>
  nodes.map((n) => (n.replies.length ? [n.comment.id, shape(n.replies)] : n.comment.id));

describe('buildThread', () => {
  it('nests replies under parents, oldest first', () => {
    expect(
      shape(buildThread([row(3, 1, 3), row(1, null, 1), row(2, null, 2), row(4, 1, 2), row(5, 4, 5)])),
    ).toEqual([[1, [[4, [5]], 3]], 2]);
  });

  it('keeps a deleted comment only as long as it has live replies', () => {
    expect(
      shape(buildThread([row(1, null, 1, true), row(2, 1, 2), row(3, null, 3, true), row(4, 3, 4, true)])),
    ).toEqual([[1, [2]]]);
  });

  it('puts orphans and self-parents at the top level', () => {
    expect(shape(buildThread([row(1, 99, 1), row(2, 2, 2)]))).toEqual([1, 2]);
  });
});
