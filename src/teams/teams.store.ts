import type { Kysely } from 'kysely';
import type { Database, TeamRole } from '../db/schema.ts';
import type { Paper } from '../papers/paper.ts';
import { PAPER_COLUMNS, paperFromRow } from '../papers/papers.store.ts';
import type { TeamInput } from './input.ts';

/** A team as pages show it. */
export interface Team {
  id: number;
  slug: string;
  name: string;
  description: string;
  createdAt: string;
}

export interface TeamMember {
  userId: number;
  username: string;
  role: TeamRole;
  addedAt: string;
}

export const MAX_TEAM_MEMBERS = 1000;
export const MAX_TEAM_PAPERS = 1000;

type Db = Kysely<Database>;

const teamFromRow = (r: {
  id: number;
  slug: string;
  name: string;
  description: string;
  created_at: string;
}): Team => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
});

export async function findTeamBySlug(db: Db, slug: string): Promise<Team | null> {
  const row = await db.selectFrom('teams').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? teamFromRow(row) : null;
}

export async function findTeam(db: Db, id: number): Promise<Team | null> {
  const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? teamFromRow(row) : null;
}

/** Every team by name, with its number of members (an instance has a handful to a few hundred). */
export async function listTeams(db: Db): Promise<(Team & { members: number })[]> {
  const rows = await db
    .selectFrom('teams')
    .selectAll('teams')
    .select((eb) =>
      eb
        .selectFrom('team_members')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('team_members.team_id', '=', 'teams.id')
        .as('members'),
    )
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...teamFromRow(r), members: Number(r.members ?? 0) }));
}

/** Makes a team; null when its slug is taken (the unique index decides, so two admins at once cannot both win). */
export async function createTeam(db: Db, input: TeamInput, now: Date): Promise<number | null> {
  const row = await db
    .insertInto('teams')
    .values({
      slug: input.slug,
      name: input.name,
      description: input.description,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function updateTeam(db: Db, id: number, details: Omit<TeamInput, 'slug'>): Promise<void> {
  await db
    .updateTable('teams')
    .set({ name: details.name, description: details.description })
    .where('id', '=', id)
    .execute();
}

/**
 * Deletes a team with its members and collection (foreign keys cascade). Its webhooks are disabled and
 * detached in the same transaction: on SQLite webhooks.team_id has no foreign key (migration 0013 says why), and
 * a team's webhook must not become a site-wide one that posts every feature. Team digests fall back to the
 * site's list (subscriptions.team_id is set to null, by the foreign key and here).
 */
export async function deleteTeam(db: Db, id: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhooks')
      .set((eb) => ({ team_id: null, disabled_at: eb.fn.coalesce('disabled_at', eb.val(now.toISOString())) }))
      .where('team_id', '=', id)
      .execute();
    await trx.updateTable('subscriptions').set({ team_id: null }).where('team_id', '=', id).execute();
    const result = await trx.deleteFrom('teams').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** A team's members: leads first, then by name. */
export async function teamMembers(db: Db, teamId: number): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['team_members.user_id', 'users.username', 'team_members.role', 'team_members.added_at'])
    .where('team_members.team_id', '=', teamId)
    .orderBy((eb) => eb.case().when('team_members.role', '=', 'lead').then(0).else(1).end())
    .orderBy('users.username')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, username: r.username, role: r.role, addedAt: r.added_at }));
}

/** The member's role in the team, or null when they are not in it. */
export async function memberRole(db: Db, teamId: number, userId: number): Promise<TeamRole | null> {
  const row = await db
    .selectFrom('team_members')
    .select('role')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** The teams a member is in, by name. */
export async function teamsOf(db: Db, userId: number): Promise<(Team & { role: TeamRole })[]> {
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .selectAll('teams')
    .select('team_members.role')
    .where('team_members.user_id', '=', userId)
    .orderBy('teams.name')
    .execute();
  return rows.map((r) => ({ ...teamFromRow(r), role: r.role }));
}

export type AddMemberResult = 'added' | 'already' | 'full';

/** Adds a member with a role; 'already' (and nothing changed) when they are in the team. */
export async function addMember(
  db: Db,
  teamId: number,
  userId: number,
  role: TeamRole,
  now: Date,
): Promise<AddMemberResult> {
  return db.transaction().execute(async (trx) => {
    const count = await trx
      .selectFrom('team_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', teamId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_TEAM_MEMBERS) return 'full';
    const result = await trx
      .insertInto('team_members')
      .values({ team_id: teamId, user_id: userId, role, added_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'added' : 'already';
  });
}

/**
 * Removes a member; their team digest, if they chose one, goes back to the site's list in the same transaction
 * (a former member gets no more of the team's reading). False when they were not in the team.
 */
export async function removeMember(db: Db, teamId: number, userId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom('team_members')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    await trx
      .updateTable('subscriptions')
      .set({ team_id: null })
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .execute();
    return Number(result.numDeletedRows) > 0;
  });
}

/** Makes a member a lead or a plain member; false when they are not in the team. */
export async function setMemberRole(
  db: Db,
  teamId: number,
  userId: number,
  role: TeamRole,
): Promise<boolean> {
  const result = await db
    .updateTable('team_members')
    .set({ role })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export type TeamPaperChange = 'done' | 'unchanged' | 'no-paper' | 'full';

/** Adds a paper to the team's collection ('no-paper' for an unknown or hidden one). */
export async function addTeamPaper(
  db: Db,
  teamId: number,
  paperId: string,
  userId: number,
  now: Date,
): Promise<TeamPaperChange> {
  return db.transaction().execute(async (trx) => {
    const paper = await trx
      .selectFrom('papers')
      .select('id')
      .where('id', '=', paperId)
      .where('hidden_at', 'is', null)
      .executeTakeFirst();
    if (!paper) return 'no-paper';
    const count = await trx
      .selectFrom('team_papers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', teamId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_TEAM_PAPERS) return 'full';
    const result = await trx
      .insertInto('team_papers')
      .values({ team_id: teamId, paper_id: paperId, added_by: userId, added_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['team_id', 'paper_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'done' : 'unchanged';
  });
}

export async function removeTeamPaper(db: Db, teamId: number, paperId: string): Promise<TeamPaperChange> {
  const result = await db
    .deleteFrom('team_papers')
    .where('team_id', '=', teamId)
    .where('paper_id', '=', paperId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0 ? 'done' : 'unchanged';
}

/** The team's collection, newest first, with who added each paper. */
export async function teamCollection(
  db: Db,
  teamId: number,
  limit = MAX_TEAM_PAPERS,
): Promise<{ paper: Paper; addedBy: string | null; addedAt: string }[]> {
  const rows = await db
    .selectFrom('team_papers')
    .innerJoin('papers', 'papers.id', 'team_papers.paper_id')
    .leftJoin('users', 'users.id', 'team_papers.added_by')
    .select(PAPER_COLUMNS)
    .select(['users.username as added_by', 'team_papers.added_at'])
    .where('team_papers.team_id', '=', teamId)
    .where('papers.hidden_at', 'is', null)
    .orderBy('team_papers.added_at', 'desc')
    .orderBy('papers.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ paper: paperFromRow(r), addedBy: r.added_by, addedAt: r.added_at }));
}
