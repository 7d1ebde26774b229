import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Paper } from '../papers/paper.ts';
import { PAPER_COLUMNS, paperFromRow } from '../papers/papers.store.ts';

/**
 * What a team's members read, as lists: the team's list of a period, the papers members featured, upvoted and
 * saved, and the badges on a page's cards (docs/teams.md). Counts only: no member is named beside a paper.
 */
type Db = Kysely<Database>;

/** the most paper ids one badge query takes (a page shows at most 50 cards) */
const MAX_BADGE_PAPERS = 500;

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

/** The feature was submitted or upvoted by a member of the team. */
function byMembers(db: Db, eb: ExpressionBuilder<Database, 'features'>, teamId: number) {
  return eb.or([
    eb('features.submitter_id', 'in', memberIds(db, teamId)),
    eb.exists(
      eb
        .selectFrom('votes')
        .select('votes.paper_id')
        .whereRef('votes.paper_id', '=', 'features.paper_id')
        .where('votes.user_id', 'in', memberIds(db, teamId)),
    ),
  ]);
}

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
    .where((eb) => byMembers(db, eb, teamId))
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
    .where((eb) => byMembers(db, eb, teamId))
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
