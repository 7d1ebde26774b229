import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import type { Viewer } from '../web/env.ts';
import { linkIdentity } from './identities.store.ts';
import { spendInvitation } from './invitations.store.ts';
import { hashToken, randomToken } from './tokens.ts';

/** The member behind a request. */
export type { Viewer };

export class AccountTakenError extends Error {
  constructor(readonly field: 'username' | 'email') {
    super(`${field} taken`);
  }
}

/** The invitation was spent, revoked or expired between the page and the sign-up. */
export class InvitationSpentError extends Error {
  constructor() {
    super('invitation no longer usable');
  }
}

const SESSION_DAYS = 30;
const TOKEN_TOUCH_MS = 60_000;

type UserRow = { id: number; username: string; role: Role; show_upvotes: number };
/** The Viewer of a users row. */
export const viewerOf = (row: UserRow): Viewer => ({
  id: row.id,
  username: row.username,
  role: row.role,
  showUpvotes: row.show_upvotes === 1,
});

/**
 * Creates an account; the first account of an instance becomes its admin. With an invitation, the account and the
 * spending of the invitation are one transaction; with an identity (single sign-on), so is the link to it.
 * An empty passwordHash makes an account no password signs in to.
 */
export async function createUser(
  db: Kysely<Database>,
  input: {
    username: string;
    email: string;
    passwordHash: string;
    role?: Role;
    invitationId?: number;
    identity?: { issuer: string; subject: string };
  },
): Promise<Viewer> {
  return db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('users')
      .select(['username', 'email'])
      .where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase()),
          eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()),
        ]),
      )
      .executeTakeFirst();
    if (clash)
      throw new AccountTakenError(
        clash.username.toLowerCase() === input.username.toLowerCase() ? 'username' : 'email',
      );
    const first = !(await trx.selectFrom('users').select('id').limit(1).executeTakeFirst());
    const row = await trx
      .insertInto('users')
      .values({
        username: input.username,
        email: input.email,
        password_hash: input.passwordHash,
        role: input.role ?? (first ? 'admin' : 'member'),
        created_at: new Date().toISOString(),
        banned_at: null,
      })
      .returning(['id', 'username', 'role', 'show_upvotes'])
      .executeTakeFirstOrThrow();
    if (input.invitationId !== undefined && !(await spendInvitation(trx, input.invitationId, row.id)))
      throw new InvitationSpentError();
    if (input.identity) await linkIdentity(trx, input.identity, row.id);
    return viewerOf(row);
  });
}

/** The account for a username or an email address, with what login needs. */
export async function findLogin(db: Kysely<Database>, login: string) {
  return (
    (await db
      .selectFrom('users')
      .select(['id', 'username', 'email', 'role', 'show_upvotes', 'password_hash', 'banned_at'])
      .where((eb) =>
        login.includes('@')
          ? eb(eb.fn('lower', ['email']), '=', login.toLowerCase())
          : eb(eb.fn('lower', ['username']), '=', login.toLowerCase()),
      )
      .executeTakeFirst()) ?? null
  );
}

export async function findUserByUsername(db: Kysely<Database>, username: string) {
  return (
    (await db
      .selectFrom('users')
      .select(['id', 'username', 'role', 'show_upvotes', 'created_at', 'banned_at'])
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .executeTakeFirst()) ?? null
  );
}

export async function findPasswordHash(db: Kysely<Database>, userId: number): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.password_hash ?? null;
}

/** A new session for a member: the token goes in the cookie, its hash in the database. */
export async function createSession(db: Kysely<Database>, userId: number): Promise<string> {
  const token = randomToken();
  const now = Date.now();
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + SESSION_DAYS * 86_400_000).toISOString(),
    })
    .execute();
  return token;
}

/** The member of a live session; expired sessions and banned members give null. */
export async function findSessionViewer(db: Kysely<Database>, token: string): Promise<Viewer | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.role', 'users.show_upvotes'])
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', new Date().toISOString())
    .where('users.banned_at', 'is', null)
    .executeTakeFirst();
  return row ? viewerOf(row) : null;
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Sets a new password and ends every session of the member (a new one is made by the caller if needed). */
export async function changePassword(
  db: Kysely<Database>,
  userId: number,
  passwordHash: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  });
}

export async function setShowUpvotes(db: Kysely<Database>, userId: number, show: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ show_upvotes: show ? 1 : 0 })
    .where('id', '=', userId)
    .execute();
}

/** A personal API token: returned once, stored hashed. */
export async function createApiToken(db: Kysely<Database>, userId: number, name: string): Promise<string> {
  const token = randomToken('pb_');
  await db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      name,
      token_hash: hashToken(token),
      created_at: new Date().toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return token;
}

export async function listApiTokens(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
}

export async function revokeApiToken(
  db: Kysely<Database>,
  userId: number,
  tokenId: number,
): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The member of an API token; notes when it was last used, at most once a minute. */
export async function findTokenViewer(db: Kysely<Database>, token: string): Promise<Viewer | null> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.last_used_at',
      'users.id',
      'users.username',
      'users.role',
      'users.show_upvotes',
    ])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.banned_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  if (!row.last_used_at || now - Date.parse(row.last_used_at) > TOKEN_TOUCH_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date(now).toISOString() })
      .where('id', '=', row.token_id)
      .execute();
  }
  return viewerOf(row);
}

/** A password reset link's token, valid for an hour; older unused ones of the member stop working. */
export async function createPasswordReset(db: Kysely<Database>, userId: number): Promise<string> {
  const token = randomToken();
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('password_resets').where('user_id', '=', userId).execute();
    await trx
      .insertInto('password_resets')
      .values({
        token_hash: hashToken(token),
        user_id: userId,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + 3_600_000).toISOString(),
        used_at: null,
      })
      .execute();
  });
  return token;
}

export async function findPasswordReset(db: Kysely<Database>, token: string) {
  return (
    (await db
      .selectFrom('password_resets')
      .select(['user_id', 'expires_at', 'used_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst()) ?? null
  );
}

/** Uses a reset token once: sets the password and ends all sessions, or returns false if it cannot be used. */
export async function completePasswordReset(
  db: Kysely<Database>,
  token: string,
  passwordHash: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const reset = await trx
      .updateTable('password_resets')
      .set({ used_at: new Date().toISOString() })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date().toISOString())
      .returning('user_id')
      .executeTakeFirst();
    if (!reset) return false;
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', reset.user_id)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', reset.user_id).execute();
    return true;
  });
}

export async function findEmailOwner(db: Kysely<Database>, email: string) {
  return (
    (await db
      .selectFrom('users')
      .select(['id', 'username', 'email'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('banned_at', 'is', null)
      .executeTakeFirst()) ?? null
  );
}

/** Whether the instance has any member yet (its first account becomes the admin). */
export async function hasMembers(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}
