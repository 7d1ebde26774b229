import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashToken, randomToken } from './tokens.ts';

/** Sign-up links made by admins: single use, expiring, revocable. Only the token's hash is stored. */

export type InvitationState = 'usable' | 'used' | 'expired' | 'revoked';

/** Whether a string has the shape of an invitation token (`inv_` and 32 random bytes, base64url). */
export function isInvitationToken(text: unknown): text is string {
  return typeof text === 'string' && /^inv_[A-Za-z0-9_-]{43}$/.test(text);
}

export interface Invitation {
  id: number;
  email: string | null;
  note: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedBy: string | null;
  createdBy: string | null;
  state: InvitationState;
}

export async function createInvitation(
  db: Kysely<Database>,
  input: { createdBy: number; email: string | null; note: string; days: number; now?: Date },
): Promise<string> {
  const token = randomToken('inv_');
  const now = input.now ?? new Date();
  await db
    .insertInto('invitations')
    .values({
      token_hash: hashToken(token),
      created_by: input.createdBy,
      email: input.email,
      note: input.note,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + input.days * 86_400_000).toISOString(),
      used_at: null,
      used_by: null,
      revoked_at: null,
    })
    .execute();
  return token;
}

function stateOf(
  row: { used_at: string | null; revoked_at: string | null; expires_at: string },
  now: Date,
): InvitationState {
  if (row.used_at) return 'used';
  if (row.revoked_at) return 'revoked';
  return row.expires_at <= now.toISOString() ? 'expired' : 'usable';
}

/** The invitation of a link, with its state; null for a token that was never made. */
export async function findInvitation(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<{ id: number; email: string | null; state: InvitationState } | null> {
  if (!isInvitationToken(token)) return null;
  const row = await db
    .selectFrom('invitations')
    .select(['id', 'email', 'used_at', 'revoked_at', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return row ? { id: row.id, email: row.email, state: stateOf(row, now) } : null;
}

/**
 * Spends an invitation for a new member, inside the transaction that creates the account: of two sign-ups racing
 * on one link, one updates the row and the other's account is rolled back.
 */
export async function spendInvitation(
  trx: Transaction<Database>,
  invitationId: number,
  userId: number,
  now = new Date(),
): Promise<boolean> {
  const result = await trx
    .updateTable('invitations')
    .set({ used_at: now.toISOString(), used_by: userId })
    .where('id', '=', invitationId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listInvitations(
  db: Kysely<Database>,
  limit = 200,
  now = new Date(),
): Promise<Invitation[]> {
  const rows = await db
    .selectFrom('invitations as i')
    .leftJoin('users as maker', 'maker.id', 'i.created_by')
    .leftJoin('users as member', 'member.id', 'i.used_by')
    .select([
      'i.id',
      'i.email',
      'i.note',
      'i.created_at',
      'i.expires_at',
      'i.used_at',
      'i.revoked_at',
      'maker.username as maker',
      'member.username as member',
    ])
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    note: r.note,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    usedBy: r.member,
    createdBy: r.maker,
    state: stateOf(r, now),
  }));
}

/** Revokes an unused invitation; false when there is none to revoke. */
export async function revokeInvitation(db: Kysely<Database>, id: number, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
