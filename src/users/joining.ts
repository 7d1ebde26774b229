import type { WebDeps } from '../web/deps.ts';
import { findInvitation, type InvitationState } from './invitations.store.ts';
import { joinRefusal } from './join-policy.ts';
import { hasMembers } from './users.store.ts';

/** May this email create an account here, with this invitation link (if any)? Reads the store, then the policy. */
export type JoinVerdict =
  | { ok: true; invitationId?: number }
  | { ok: false; status: 400 | 403; message: string };

const INVITATION_PROBLEM: Record<Exclude<InvitationState, 'usable'>, string> = {
  used: 'This invitation has already been used. Ask an admin for a new one.',
  expired: 'This invitation has expired. Ask an admin for a new one.',
  revoked: 'This invitation was withdrawn. Ask an admin for a new one.',
};

/** The problem with an invitation link, or null when it can be used. */
export async function invitationProblem(deps: WebDeps, token: string): Promise<string | null> {
  const invitation = await findInvitation(deps.store.db, token);
  if (!invitation) return 'This invitation link is not valid. Check that it was copied whole.';
  return invitation.state === 'usable' ? null : INVITATION_PROBLEM[invitation.state];
}

export async function mayJoin(
  deps: WebDeps,
  email: string,
  invitationToken: string | undefined,
): Promise<JoinVerdict> {
  let invitation: { id: number; email: string | null } | null = null;
  if (invitationToken) {
    const found = await findInvitation(deps.store.db, invitationToken);
    if (!found) return { ok: false, status: 400, message: 'This invitation link is not valid.' };
    if (found.state !== 'usable') return { ok: false, status: 400, message: INVITATION_PROBLEM[found.state] };
    invitation = found;
  }
  const refusal = joinRefusal(
    {
      signup: deps.config.SIGNUP === 'invitation' ? 'invitation' : 'open',
      domains: deps.config.SIGNUP_EMAIL_DOMAINS,
    },
    { email, invitation, firstAccount: !(await hasMembers(deps.store.db)) },
  );
  if (refusal) return { ok: false, status: 403, message: refusal };
  return invitation ? { ok: true, invitationId: invitation.id } : { ok: true };
}
