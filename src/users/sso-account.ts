import type { Role } from '../db/schema.ts';
import type { WebDeps } from '../web/deps.ts';
import { findIdentityMember, findMemberByEmail, linkIdentity, recordSignIn } from './identities.store.ts';
import { mayJoin } from './joining.ts';
import type { ProviderAccount } from './oidc.ts';
import { AccountTakenError, createUser, findUserByUsername, InvitationSpentError } from './users.store.ts';
import { emailSchema, usernameSchema } from './validation.ts';

/**
 * The member a provider's account signs in as:
 * 1. the member already linked to this (issuer, subject);
 * 2. else the member with the same email, when the provider says it verified it (the link is then made);
 * 3. else a new member, if the join policy admits the email (docs/configuration.md).
 * With OIDC_ROLES_CLAIM set, the provider's groups set the role at every sign-in.
 */
export type SsoOutcome =
  | { ok: true; userId: number; username: string; created: boolean; linked: boolean }
  | { ok: false; status: 400 | 403; message: string };

export async function memberForAccount(
  deps: WebDeps,
  account: ProviderAccount,
  invitationToken: string | undefined,
): Promise<SsoOutcome> {
  const db = deps.store.db;
  const key = { issuer: account.issuer, subject: account.subject };
  const linked = await findIdentityMember(db, key);
  if (linked) {
    if (linked.banned_at) return banned();
    await recordSignIn(db, key, linked.id, account.role);
    return { ok: true, userId: linked.id, username: linked.username, created: false, linked: false };
  }
  const email = account.email && emailSchema.safeParse(account.email).success ? account.email : null;
  if (!email)
    return {
      ok: false,
      status: 403,
      message: 'The provider did not send a usable email address for your account.',
    };
  if (!account.emailVerified)
    return {
      ok: false,
      status: 403,
      message:
        'The provider has not verified your email address, so it cannot be linked to an account here. Verify it with your provider and sign in again.',
    };
  const owner = await findMemberByEmail(db, email);
  if (owner) {
    if (owner.banned_at) return banned();
    await linkIdentity(db, key, owner.id);
    await recordSignIn(db, key, owner.id, account.role);
    deps.log.info({ user: owner.username }, 'single sign-on linked to an existing account');
    return { ok: true, userId: owner.id, username: owner.username, created: false, linked: true };
  }
  const verdict = await mayJoin(deps, email, invitationToken);
  if (!verdict.ok) return verdict;
  for (const username of await freeUsernames(deps, account, email)) {
    try {
      const user = await createUser(db, {
        username,
        email,
        passwordHash: '',
        identity: key,
        ...(account.role ? { role: account.role as Role } : {}),
        ...(verdict.invitationId !== undefined ? { invitationId: verdict.invitationId } : {}),
      });
      deps.log.info({ user: user.username, role: user.role }, 'account created by single sign-on');
      return { ok: true, userId: user.id, username: user.username, created: true, linked: false };
    } catch (err) {
      if (err instanceof InvitationSpentError)
        return {
          ok: false,
          status: 400,
          message: 'This invitation has just been used. Ask an admin for a new one.',
        };
      // a username taken between the check and the insert: try the next one
      if (err instanceof AccountTakenError && err.field === 'username') continue;
      throw err;
    }
  }
  return {
    ok: false,
    status: 400,
    message: 'No free username could be made for your account; ask an admin.',
  };
}

function banned(): SsoOutcome {
  return { ok: false, status: 403, message: 'This account has been banned by the moderators.' };
}

/** Usernames to try, the provider's own first: each made valid here (letters, digits, - and _, 3–30). */
async function freeUsernames(deps: WebDeps, account: ProviderAccount, email: string): Promise<string[]> {
  const bases = [account.preferredUsername, email.slice(0, email.indexOf('@')), account.name]
    .map((raw) => (raw ? usernameFrom(raw) : null))
    .filter((u): u is string => u !== null);
  const base = bases[0] ?? 'member';
  const out: string[] = [];
  for (const candidate of [
    ...new Set(bases),
    ...Array.from({ length: 20 }, (_, i) => `${base.slice(0, 26)}-${i + 2}`),
  ]) {
    if (!(await findUserByUsername(deps.store.db, candidate))) out.push(candidate);
    if (out.length === 3) break;
  }
  return out;
}

/** A valid username from a provider's name: `Jane Doe` → `Jane-Doe`; null when nothing usable is left. */
export function usernameFrom(raw: string): string | null {
  const cleaned = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 30)
    .replace(/[-_]+$/, '');
  return usernameSchema.safeParse(cleaned).success ? cleaned : null;
}
