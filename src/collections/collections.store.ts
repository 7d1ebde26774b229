import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { PAPER_COLUMNS, paperFromRow } from '../papers/papers.store.ts';

/** A member's named list of papers, public or private. */
export interface Collection {
  id: number;
  userId: number;
  owner: string;
  name: string;
  description: string;
  public: boolean;
  createdAt: string;
  updatedAt: string;
  papers: number;
}

export const MAX_COLLECTIONS_PER_MEMBER = 100;
export const MAX_PAPERS_PER_COLLECTION = 1000;

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('collections')
    .innerJoin('users', 'users.id', 'collections.user_id')
    .select((eb) => [
      'collections.id',
      'collections.user_id',
      'users.username',
      'collections.name',
      'collections.description',
      'collections.public',
      'collections.created_at',
      'collections.updated_at',
      eb
        .selectFrom('collection_papers')
        .innerJoin('papers', 'papers.id', 'collection_papers.paper_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('collection_papers.collection_id', '=', 'collections.id')
        .where('papers.hidden_at', 'is', null)
        .as('papers'),
    ]);
}
type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;
const fromRow = (r: Row): Collection => ({
  id: r.id,
  userId: r.user_id,
  owner: r.username,
  name: r.name,
  description: r.description,
  public: r.public === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  papers: Number(r.papers ?? 0),
});

export async function findCollection(db: Kysely<Database>, id: number): Promise<Collection | null> {
  const row = await baseQuery(db).where('collections.id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** A member's collections, most recently changed first; only the public ones unless `includePrivate`. */
export async function collectionsOf(
  db: Kysely<Database>,
  userId: number,
  includePrivate: boolean,
): Promise<Collection[]> {
  let q = baseQuery(db).where('collections.user_id', '=', userId);
  if (!includePrivate) q = q.where('collections.public', '=', 1);
  const rows = await q.orderBy('collections.updated_at', 'desc').orderBy('collections.id', 'desc').execute();
  return rows.map(fromRow);
}

/** Recently changed public collections of everyone, for /collections. */
export async function recentPublicCollections(db: Kysely<Database>, limit: number): Promise<Collection[]> {
  const rows = await baseQuery(db)
    .where('collections.public', '=', 1)
    .where('users.banned_at', 'is', null)
    .orderBy('collections.updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(fromRow).filter((c) => c.papers > 0);
}

export interface CollectionInput {
  name: string;
  description: string;
  public: boolean;
}

/** Creates a collection; null when the member already has the most allowed. */
export async function createCollection(
  db: Kysely<Database>,
  userId: number,
  input: CollectionInput,
): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const count = await trx
      .selectFrom('collections')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_COLLECTIONS_PER_MEMBER) return null;
    const now = new Date().toISOString();
    const row = await trx
      .insertInto('collections')
      .values({
        user_id: userId,
        name: input.name,
        description: input.description,
        public: input.public ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** Changes name, description and visibility; only the owner's own collection changes. */
export async function updateCollection(
  db: Kysely<Database>,
  userId: number,
  id: number,
  input: CollectionInput,
): Promise<boolean> {
  const result = await db
    .updateTable('collections')
    .set({
      name: input.name,
      description: input.description,
      public: input.public ? 1 : 0,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteCollection(db: Kysely<Database>, userId: number, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('collections')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** The papers of a collection in the owner's order; hidden papers never appear. */
export async function collectionPapers(db: Kysely<Database>, id: number, limit = MAX_PAPERS_PER_COLLECTION) {
  const rows = await db
    .selectFrom('collection_papers')
    .innerJoin('papers', 'papers.id', 'collection_papers.paper_id')
    .select([...PAPER_COLUMNS, 'collection_papers.added_at'])
    .where('collection_papers.collection_id', '=', id)
    .where('papers.hidden_at', 'is', null)
    .orderBy('collection_papers.position', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ paper: paperFromRow(r), addedAt: r.added_at }));
}

export type ChangeResult = 'done' | 'unchanged' | 'not-found' | 'full' | 'no-paper';

async function touch(db: Kysely<Database>, id: number): Promise<void> {
  await db
    .updateTable('collections')
    .set({ updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Adds a (visible) paper at the end of the owner's collection. */
export async function addToCollection(
  db: Kysely<Database>,
  userId: number,
  id: number,
  paperId: string,
): Promise<ChangeResult> {
  return db.transaction().execute(async (trx) => {
    const owned = await trx
      .selectFrom('collections')
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!owned) return 'not-found';
    const paper = await trx
      .selectFrom('papers')
      .select('id')
      .where('id', '=', paperId)
      .where('hidden_at', 'is', null)
      .executeTakeFirst();
    if (!paper) return 'no-paper';
    const stats = await trx
      .selectFrom('collection_papers')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('last')])
      .where('collection_id', '=', id)
      .executeTakeFirstOrThrow();
    if (Number(stats.n) >= MAX_PAPERS_PER_COLLECTION) return 'full';
    const result = await trx
      .insertInto('collection_papers')
      .values({
        collection_id: id,
        paper_id: paperId,
        position: Number(stats.last ?? 0) + 1,
        added_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return 'unchanged';
    await touch(trx, id);
    return 'done';
  });
}

export async function removeFromCollection(
  db: Kysely<Database>,
  userId: number,
  id: number,
  paperId: string,
): Promise<ChangeResult> {
  return db.transaction().execute(async (trx) => {
    const owned = await trx
      .selectFrom('collections')
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!owned) return 'not-found';
    const result = await trx
      .deleteFrom('collection_papers')
      .where('collection_id', '=', id)
      .where('paper_id', '=', paperId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return 'unchanged';
    await touch(trx, id);
    return 'done';
  });
}

/** Moves a paper one place up or down (swapping positions with its neighbour), or to the top or bottom. */
export async function moveInCollection(
  db: Kysely<Database>,
  userId: number,
  id: number,
  paperId: string,
  direction: 'up' | 'down' | 'top' | 'bottom',
): Promise<ChangeResult> {
  return db.transaction().execute(async (trx) => {
    const owned = await trx
      .selectFrom('collections')
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!owned) return 'not-found';
    const rows = await trx
      .selectFrom('collection_papers')
      .select(['paper_id', 'position'])
      .where('collection_id', '=', id)
      .orderBy('position', 'asc')
      .execute();
    const from = rows.findIndex((r) => r.paper_id === paperId);
    if (from === -1) return 'no-paper';
    const order = rows.map((r) => r.paper_id);
    const [moved] = order.splice(from, 1);
    const to =
      direction === 'top'
        ? 0
        : direction === 'bottom'
          ? order.length
          : Math.min(order.length, Math.max(0, from + (direction === 'up' ? -1 : 1)));
    if (to === from) return 'unchanged';
    order.splice(to, 0, moved!);
    // renumber: positions stay 1..n, so neighbours are always one apart
    for (const [i, pid] of order.entries()) {
      if (rows[i]?.paper_id === pid && rows[i]?.position === i + 1) continue;
      await trx
        .updateTable('collection_papers')
        .set({ position: i + 1 })
        .where('collection_id', '=', id)
        .where('paper_id', '=', pid)
        .execute();
    }
    await touch(trx, id);
    return 'done';
  });
}

/** For cards: which of the member's collections hold each of the papers on a page (one query). */
export async function savedAmong(
  db: Kysely<Database>,
  userId: number,
  paperIds: string[],
): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  if (paperIds.length === 0) return out;
  const rows = await db
    .selectFrom('collection_papers')
    .innerJoin('collections', 'collections.id', 'collection_papers.collection_id')
    .select(['collection_papers.paper_id', 'collection_papers.collection_id'])
    .where('collections.user_id', '=', userId)
    .where('collection_papers.paper_id', 'in', paperIds.slice(0, 500))
    .execute();
  for (const r of rows) {
    const set = out.get(r.paper_id) ?? new Set<number>();
    set.add(r.collection_id);
    out.set(r.paper_id, set);
  }
  return out;
}

/** The member's collection names for the "Save" menu, most recently changed first. */
export async function collectionNames(
  db: Kysely<Database>,
  userId: number,
): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('collections')
    .select(['id', 'name'])
    .where('user_id', '=', userId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_COLLECTIONS_PER_MEMBER)
    .execute();
}
