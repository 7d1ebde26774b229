import { type Kysely, sql } from 'kysely';
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
/** the most paper ids one badge query takes (a page shows at most 50 cards) */
const MAX_BADGE_PAPERS = 500;

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

/** A paper on a team's daily or weekly list. */
export interface TeamListItem {
  paper: Paper;
  day: string;
  submitter: string | null;
  /** how many of the team's members upvoted it */
  teamUpvotes: number;
}

const memberIds = (db: Db, teamId: number) =>
  db.selectFrom('team_members').select('team_members.user_id').where('team_members.team_id', '=', teamId);

/**
 * A team's list of a period: the papers featured in it (day `start` to `end`, inclusive, as the site's daily list)
 * that a member of the team featured or upvoted, ranked by how many members upvoted them, then by all upvotes,
 * then the earlier submission first (the site list's tie-breakers).
 */
export async function teamList(
  db: Db,
  teamId: number,
  period: { start: string; end: string },
  limit: number,
  offset = 0,
): Promise<TeamListItem[]> {
  const rows = await db
    .selectFrom('features')
    .innerJoin('papers', 'papers.id', 'features.paper_id')
    .select(PAPER_COLUMNS)
    .select(['features.day', 'features.submitter'])
    .select((eb) =>
      eb
        .selectFrom('votes')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('votes.paper_id', '=', 'features.paper_id')
        .where('votes.user_id', 'in', memberIds(db, teamId))
        .as('team_upvotes'),
    )
    .where('features.day', '>=', period.start)
    .where('features.day', '<=', period.end)
    .where('papers.hidden_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('features.submitter_id', 'in', memberIds(db, teamId)),
        eb.exists(
          eb
            .selectFrom('votes')
            .select('votes.paper_id')
            .whereRef('votes.paper_id', '=', 'features.paper_id')
            .where('votes.user_id', 'in', memberIds(db, teamId)),
        ),
      ]),
    )
    .orderBy('team_upvotes', 'desc')
    .orderBy('papers.upvotes', 'desc')
    .orderBy('features.submitted_at', 'asc')
    .orderBy('features.paper_id', 'asc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({
    paper: paperFromRow(r),
    day: r.day,
    submitter: r.submitter,
    teamUpvotes: Number(r.team_upvotes ?? 0),
  }));
}

/** The latest day on which a paper a member featured or upvoted was featured, or null. */
export async function latestTeamDay(db: Db, teamId: number): Promise<string | null> {
  const row = await db
    .selectFrom('features')
    .select((eb) => eb.fn.max('features.day').as('day'))
    .where((eb) =>
      eb.or([
        eb('features.submitter_id', 'in', memberIds(db, teamId)),
        eb.exists(
          eb
            .selectFrom('votes')
            .select('votes.paper_id')
            .whereRef('votes.paper_id', '=', 'features.paper_id')
            .where('votes.user_id', 'in', memberIds(db, teamId)),
        ),
      ]),
    )
    .executeTakeFirst();
  return (row?.day as string | null | undefined) ?? null;
}

/** A paper members of a team acted on, and how many of them did. */
export interface TeamPaper {
  paper: Paper;
  members: number;
}

export type TeamActivity = 'featured' | 'upvoted' | 'saved';

/**
 * The papers the team's members featured, upvoted or saved (in their public collections: a private one stays
 * its owner's), most recent first, each with how many members did so. No member is named.
 */
export async function teamActivity(
  db: Db,
  teamId: number,
  kind: TeamActivity,
  limit: number,
): Promise<TeamPaper[]> {
  const members = memberIds(db, teamId);
  const acted: { paper_id: string; at: unknown; n: unknown }[] =
    kind === 'featured'
      ? await db
          .selectFrom('features')
          .innerJoin('papers', 'papers.id', 'features.paper_id')
          .select(['features.paper_id', 'features.submitted_at as at'])
          .select(sql<number>`1`.as('n'))
          .where('features.submitter_id', 'in', members)
          .where('papers.hidden_at', 'is', null)
          .orderBy('at', 'desc')
          .orderBy('features.paper_id', 'desc')
          .limit(limit)
          .execute()
      : kind === 'upvoted'
        ? await db
            .selectFrom('votes')
            .innerJoin('papers', 'papers.id', 'votes.paper_id')
            .select('votes.paper_id')
            .select((eb) => [eb.fn.max('votes.created_at').as('at'), eb.fn.countAll<number>().as('n')])
            .where('votes.user_id', 'in', members)
            .where('papers.hidden_at', 'is', null)
            .groupBy('votes.paper_id')
            .orderBy('at', 'desc')
            .orderBy('votes.paper_id', 'desc')
            .limit(limit)
            .execute()
        : await db
            .selectFrom('collection_papers')
            .innerJoin('collections', 'collections.id', 'collection_papers.collection_id')
            .innerJoin('papers', 'papers.id', 'collection_papers.paper_id')
            .select('collection_papers.paper_id')
            .select((eb) => [
              eb.fn.max('collection_papers.added_at').as('at'),
              eb.fn.count<number>('collections.user_id').distinct().as('n'),
            ])
            .where('collections.public', '=', 1)
            .where('collections.user_id', 'in', members)
            .where('papers.hidden_at', 'is', null)
            .groupBy('collection_papers.paper_id')
            .orderBy('at', 'desc')
            .orderBy('collection_papers.paper_id', 'desc')
            .limit(limit)
            .execute();
  if (acted.length === 0) return [];
  const papers = await db
    .selectFrom('papers')
    .select(PAPER_COLUMNS)
    .where(
      'papers.id',
      'in',
      acted.map((a) => a.paper_id),
    )
    .execute();
  const byId = new Map(papers.map((p) => [p.id, paperFromRow(p)]));
  return acted.flatMap((a) => {
    const paper = byId.get(a.paper_id);
    return paper ? [{ paper, members: Number(a.n) }] : [];
  });
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

/** A card's team badge: one of the viewer's teams, and how many of its members featured, upvoted or saved it. */
export interface TeamBadge {
  slug: string;
  name: string;
  members: number;
}

/**
 * The badges of a page's cards, in one query for all of them: for each paper, each of the viewer's teams whose
 * members (the viewer included) featured, upvoted, saved it in a public collection or put it in the team's
 * collection, with how many distinct members did. Empty for a member in no team.
 */
export async function teamBadgesAmong(
  db: Db,
  viewerId: number,
  paperIds: readonly string[],
): Promise<Map<string, TeamBadge[]>> {
  const out = new Map<string, TeamBadge[]>();
  const ids = [...new Set(paperIds)].slice(0, MAX_BADGE_PAPERS);
  if (ids.length === 0) return out;
  const list = sql.join(ids);
  const { rows } = await sql<{ paper_id: string; slug: string; name: string; n: number | string }>`
    WITH activity (user_id, paper_id) AS (
      SELECT user_id, paper_id FROM votes WHERE paper_id IN (${list})
      UNION SELECT submitter_id, paper_id FROM features WHERE paper_id IN (${list}) AND submitter_id IS NOT NULL
      UNION SELECT c.user_id, cp.paper_id FROM collection_papers cp JOIN collections c ON c.id = cp.collection_id
        WHERE cp.paper_id IN (${list}) AND c.public = 1
      UNION SELECT added_by, paper_id FROM team_papers WHERE paper_id IN (${list}) AND added_by IS NOT NULL
    )
    SELECT a.paper_id, t.slug, t.name, count(DISTINCT a.user_id) AS n
    FROM team_members mine
    JOIN teams t ON t.id = mine.team_id
    JOIN team_members mate ON mate.team_id = mine.team_id
    JOIN activity a ON a.user_id = mate.user_id
    WHERE mine.user_id = ${viewerId}
    GROUP BY a.paper_id, t.id, t.slug, t.name
    ORDER BY t.name, t.id`.execute(db);
  for (const r of rows) {
    const badges = out.get(r.paper_id) ?? [];
    badges.push({ slug: r.slug, name: r.name, members: Number(r.n) });
    out.set(r.paper_id, badges);
  }
  return out;
}
