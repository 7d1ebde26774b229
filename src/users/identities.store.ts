import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.ts';

/** The accounts of OpenID Connect providers linked to members: one per (issuer, subject). */

export interface IdentityKey {
  issuer: string;
  subject: string;
}

export interface LinkedMember {
  id: number;
  username: string;
  role: Role;
  banned_at: string | null;
}

export async function findIdentityMember(
  db: Kysely<Database>,
  key: IdentityKey,
): Promise<LinkedMember | null> {
  return (
    (await db
      .selectFrom('user_identities')
      .innerJoin('users', 'users.id', 'user_identities.user_id')
      .select(['users.id', 'users.username', 'users.role', 'users.banned_at'])
      .where('user_identities.issuer', '=', key.issuer)
      .where('user_identities.subject', '=', key.subject)
      .executeTakeFirst()) ?? null
  );
}

/** The member with this email address (any case), for linking a first sign-on by a verified email. */
export async function findMemberByEmail(db: Kysely<Database>, email: string): Promise<LinkedMember | null> {
  return (
    (await db
      .selectFrom('users')
      .select(['id', 'username', 'role', 'banned_at'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst()) ?? null
  );
}

/** Links a provider's account to a member (a no-op when already linked to them). */
export async function linkIdentity(db: Kysely<Database>, key: IdentityKey, userId: number): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('user_identities')
    .values({
      issuer: key.issuer,
      subject: key.subject,
      user_id: userId,
      created_at: now,
      last_login_at: now,
    })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
    .execute();
}

/** Records a sign-in, and the role the provider's groups give, when role mapping is on. */
export async function recordSignIn(
  db: Kysely<Database>,
  key: IdentityKey,
  userId: number,
  role: Role | null,
): Promise<void> {
  await db
    .updateTable('user_identities')
    .set({ last_login_at: new Date().toISOString() })
    .where('issuer', '=', key.issuer)
    .where('subject', '=', key.subject)
    .execute();
  if (role) await db.updateTable('users').set({ role }).where('id', '=', userId).execute();
}
