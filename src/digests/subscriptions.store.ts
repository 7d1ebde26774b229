import type { Kysely } from 'kysely';
import type { Database, SubscriptionStatus } from '../db/schema.ts';

export interface Preferences {
  frequency: 'daily' | 'weekly';
  categories: string[];
  keywords: string[];
  count: number;
}

export interface Subscription extends Preferences {
  id: number;
  email: string;
  status: SubscriptionStatus;
  bounces: number;
  /** the member who subscribed while logged in, if any */
  userId?: number | null;
  /** add the member's "for you" recommendations */
  forYou?: boolean;
  /** a team digest: the papers come from this team's list (src/teams/) instead of the site's */
  teamId?: number | null;
}

/** After this many permanent failures an address gets no more mail until its owner subscribes again. */
export const MAX_BOUNCES = 3;

type Row = Awaited<ReturnType<typeof selectById>>;
function selectById(db: Kysely<Database>, id: number) {
  return db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

function fromRow(row: NonNullable<Row>): Subscription {
  const list = (text: string) => {
    try {
      const v: unknown = JSON.parse(text);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    id: row.id,
    email: row.email,
    status: row.status,
    bounces: row.bounces,
    frequency: row.frequency,
    categories: list(row.categories),
    keywords: list(row.keywords),
    count: row.paper_count,
    userId: row.user_id,
    forYou: row.for_you === 1,
    teamId: row.team_id,
  };
}

export async function findSubscription(db: Kysely<Database>, id: number): Promise<Subscription | null> {
  const row = await selectById(db, id);
  return row ? fromRow(row) : null;
}

/** The confirmed subscriptions of one frequency, by id (what a period's run would send to). */
export async function confirmedSubscriptionIds(
  db: Kysely<Database>,
  frequency: Subscription['frequency'],
): Promise<number[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('status', '=', 'confirmed')
    .where('frequency', '=', frequency)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Records a request to subscribe. A new or lapsed address becomes (again) pending confirmation with these
 * preferences; a confirmed one keeps its preferences (only its owner changes them, through the signed link).
 * Returns the subscription and whether it was already confirmed.
 */
export async function requestSubscription(
  db: Kysely<Database>,
  email: string,
  prefs: Preferences,
  userId: number | null,
): Promise<{ subscription: Subscription; alreadyConfirmed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('subscriptions')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    if (existing?.status === 'confirmed') return { subscription: fromRow(existing), alreadyConfirmed: true };
    const values = {
      frequency: prefs.frequency,
      categories: JSON.stringify(prefs.categories),
      keywords: JSON.stringify(prefs.keywords),
      paper_count: prefs.count,
      status: 'pending' as const,
      bounces: 0,
      user_id: userId ?? existing?.user_id ?? null,
    };
    if (existing) {
      await trx
        .updateTable('subscriptions')
        .set({ ...values, unsubscribed_at: null })
        .where('id', '=', existing.id)
        .execute();
      return { subscription: fromRow((await selectById(trx, existing.id))!), alreadyConfirmed: false };
    }
    const row = await trx
      .insertInto('subscriptions')
      .values({
        ...values,
        email,
        created_at: new Date().toISOString(),
        confirmed_at: null,
        unsubscribed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { subscription: fromRow(row), alreadyConfirmed: false };
  });
}

/** Double opt-in: a pending subscription becomes confirmed. True when it is confirmed now. */
export async function confirmSubscription(db: Kysely<Database>, id: number): Promise<boolean> {
  await db
    .updateTable('subscriptions')
    .set({ status: 'confirmed', confirmed_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
  return (await findSubscription(db, id))?.status === 'confirmed';
}

export async function updatePreferences(db: Kysely<Database>, id: number, prefs: Preferences): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({
      frequency: prefs.frequency,
      categories: JSON.stringify(prefs.categories),
      keywords: JSON.stringify(prefs.keywords),
      paper_count: prefs.count,
    })
    .where('id', '=', id)
    .execute();
}

export async function unsubscribe(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db
    .updateTable('subscriptions')
    .set({ status: 'unsubscribed', unsubscribed_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('status', '!=', 'unsubscribed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A permanent delivery failure: counted; at MAX_BOUNCES the subscription is suspended. */
export async function recordBounce(db: Kysely<Database>, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('subscriptions')
      .set((eb) => ({ bounces: eb('bounces', '+', 1) }))
      .where('id', '=', id)
      .returning('bounces')
      .executeTakeFirst();
    if (row && row.bounces >= MAX_BOUNCES) {
      await trx
        .updateTable('subscriptions')
        .set({ status: 'suspended' })
        .where('id', '=', id)
        .where('status', '=', 'confirmed')
        .execute();
    }
  });
}

export async function findSubscriptionByUser(
  db: Kysely<Database>,
  userId: number,
): Promise<Subscription | null> {
  const row = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/**
 * The subscription of a signed-in member: linked to their account, or made for their account's address before
 * they signed in. Null when they have none. Also returns the account's address, for a new one.
 */
export async function findMemberSubscription(
  db: Kysely<Database>,
  userId: number,
): Promise<{ email: string; subscription: Subscription | null } | null> {
  const user = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  if (!user) return null;
  const row = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where((eb) =>
      eb.or([eb('user_id', '=', userId), eb(eb.fn('lower', ['email']), '=', user.email.toLowerCase())]),
    )
    .orderBy((eb) => eb.case().when('user_id', '=', userId).then(0).else(1).end())
    .executeTakeFirst();
  return { email: user.email, subscription: row ? fromRow(row) : null };
}

/** Points a subscription at a team's list (or back at the site's, with null), at a frequency; links the member. */
export async function setDigestTeam(
  db: Kysely<Database>,
  id: number,
  userId: number,
  teamId: number | null,
  frequency: Subscription['frequency'] | null,
): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({ team_id: teamId, user_id: userId, ...(frequency ? { frequency } : {}) })
    .where('id', '=', id)
    .execute();
}
