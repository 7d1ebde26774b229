import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/env.ts';
import { type FollowKind, followTarget } from './follow-keys.ts';
import { followOf } from './follows.store.ts';

/** Whether the viewer follows this (for a page's Follow button); false for anonymous readers and bad values. */
export async function isFollowing(
  db: Kysely<Database>,
  viewer: Viewer | null,
  kind: FollowKind,
  value: string,
): Promise<boolean> {
  if (!viewer) return false;
  const target = followTarget(kind, value);
  if ('error' in target) return false;
  return (await followOf(db, viewer.id, kind, target.key)) !== null;
}
