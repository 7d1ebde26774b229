import { hasRole } from '../users/require.ts';
import type { WebDeps } from '../web/deps.ts';
import type { Viewer } from '../web/env.ts';
import { memberRole, type Team } from './teams.store.ts';

/** What the viewer may do with a team: admins everything, leads the membership, members their own. */
export interface TeamRights {
  role: 'lead' | 'member' | null;
  admin: boolean;
  /** add and remove members */
  manage: boolean;
  /** add to and remove from the team collection */
  collect: boolean;
}

export async function teamRights(
  deps: Pick<WebDeps, 'store'>,
  viewer: Viewer | null,
  team: Team,
): Promise<TeamRights> {
  const role = viewer ? await memberRole(deps.store.db, team.id, viewer.id) : null;
  const admin = hasRole(viewer, 'admin');
  return { role, admin, manage: admin || role === 'lead', collect: admin || role !== null };
}
