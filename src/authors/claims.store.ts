import type { Kysely } from 'kysely';
import type { ClaimStatus, Database } from '../db/schema.ts';
import { logModeration } from '../moderation/moderation.store.ts';
import { authorKey } from './names.ts';

/** A member's claim to be an author (by name key), approved or rejected by a moderator. */
export interface Claim {
  id: number;
  userId: number;
  username: string;
  authorKey: string;
  authorName: string;
  evidence: string;
  status: ClaimStatus;
  createdAt: string;
  /** when a moderator approved or rejected it; null while pending */
  decidedAt: string | null;
}

function claims(db: Kysely<Database>) {
  return db
    .selectFrom('author_claims')
    .innerJoin('users', 'users.id', 'author_claims.user_id')
    .select([
      'author_claims.id',
      'author_claims.user_id as userId',
      'users.username',
      'author_claims.author_key as authorKey',
      'author_claims.author_name as authorName',
      'author_claims.evidence',
      'author_claims.status',
      'author_claims.created_at as createdAt',
      'author_claims.decided_at as decidedAt',
    ]);
}

export type ClaimResult = 'created' | 'already-yours' | 'taken' | 'pending';

/** Files a claim; refused when someone else holds the name or this member already claimed it. */
export async function fileClaim(
  db: Kysely<Database>,
  userId: number,
  input: { authorKey: string; authorName: string; evidence: string },
): Promise<ClaimResult> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('author_claims')
      .select(['user_id', 'status'])
      .where('author_key', '=', input.authorKey)
      .where('status', '!=', 'rejected')
      .execute();
    if (existing.some((c) => c.user_id === userId))
      return existing.some((c) => c.user_id === userId && c.status === 'approved')
        ? 'already-yours'
        : 'pending';
    if (existing.some((c) => c.status === 'approved')) return 'taken';
    await trx
      .insertInto('author_claims')
      .values({
        user_id: userId,
        author_key: input.authorKey,
        author_name: input.authorName,
        evidence: input.evidence,
        created_at: new Date().toISOString(),
        decided_at: null,
        decided_by: null,
      })
      .execute();
    return 'created';
  });
}

export async function pendingClaims(db: Kysely<Database>, limit = 200): Promise<Claim[]> {
  return claims(db)
    .where('author_claims.status', '=', 'pending')
    .orderBy('author_claims.created_at', 'asc')
    .limit(limit)
    .execute();
}

/** The member who holds an author name, if a moderator approved their claim. */
export async function approvedClaim(db: Kysely<Database>, authorKey: string): Promise<Claim | null> {
  return (
    (await claims(db)
      .where('author_claims.author_key', '=', authorKey)
      .where('author_claims.status', '=', 'approved')
      .executeTakeFirst()) ?? null
  );
}

/** Approved claims for any of the keys (one query for a paper's author list). */
export async function approvedClaimsFor(db: Kysely<Database>, keys: string[]): Promise<Map<string, Claim>> {
  if (keys.length === 0) return new Map();
  const rows = await claims(db)
    .where('author_claims.author_key', 'in', keys.slice(0, 500))
    .where('author_claims.status', '=', 'approved')
    .execute();
  return new Map(rows.map((r) => [r.authorKey, r]));
}

/** An author name a member holds (an approved claim): the member, and since when. */
export interface ClaimedAuthor {
  username: string;
  /** when the claim was approved (ISO 8601) */
  since: string | null;
}

/**
 * The approved claims among these papers' authors, as the name as written on a paper → the member who holds it
 * (for the HF-compatible API).
 */
export async function claimedAuthorsOf(
  db: Kysely<Database>,
  papers: readonly { authors: readonly string[] }[],
): Promise<Map<string, ClaimedAuthor>> {
  // most instances have no approved claim: then there is nothing to look up, and no name to fold
  const any = await db
    .selectFrom('author_claims')
    .select('id')
    .where('status', '=', 'approved')
    .limit(1)
    .executeTakeFirst();
  if (!any) return new Map();
  const namesByKey = new Map<string, string[]>();
  for (const name of new Set(papers.flatMap((p) => p.authors))) {
    const key = authorKey(name);
    namesByKey.set(key, [...(namesByKey.get(key) ?? []), name]);
  }
  const keys = [...namesByKey.keys()];
  const claimed = new Map<string, ClaimedAuthor>();
  for (let i = 0; i < keys.length; i += 500) {
    for (const [key, claim] of await approvedClaimsFor(db, keys.slice(i, i + 500))) {
      for (const name of namesByKey.get(key) ?? [])
        claimed.set(name, { username: claim.username, since: claim.decidedAt });
    }
  }
  return claimed;
}

export async function claimsOf(db: Kysely<Database>, userId: number): Promise<Claim[]> {
  return claims(db).where('author_claims.user_id', '=', userId).orderBy('author_claims.id', 'desc').execute();
}

/**
 * A moderator approves or rejects a pending claim, with the log row in the same transaction. An approval is
 * refused ('conflict') when another member already holds the name.
 */
export async function decideClaim(
  db: Kysely<Database>,
  moderatorId: number,
  claimId: number,
  approve: boolean,
  reason: string | null,
): Promise<'done' | 'not-found' | 'conflict'> {
  return db.transaction().execute(async (trx) => {
    const claim = await claims(trx)
      .where('author_claims.id', '=', claimId)
      .where('author_claims.status', '=', 'pending')
      .executeTakeFirst();
    if (!claim) return 'not-found' as const;
    if (approve) {
      const holder = await trx
        .selectFrom('author_claims')
        .select('id')
        .where('author_key', '=', claim.authorKey)
        .where('status', '=', 'approved')
        .executeTakeFirst();
      if (holder) return 'conflict' as const;
    }
    await trx
      .updateTable('author_claims')
      .set({
        status: approve ? 'approved' : 'rejected',
        decided_at: new Date().toISOString(),
        decided_by: moderatorId,
      })
      .where('id', '=', claimId)
      .execute();
    await logModeration(
      trx,
      moderatorId,
      approve ? 'approve-claim' : 'reject-claim',
      `user:${claim.username}`,
      `author “${claim.authorName}”${reason ? `: ${reason}` : ''}`,
    );
    return 'done' as const;
  });
}
