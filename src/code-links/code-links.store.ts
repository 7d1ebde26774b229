import type { Kysely } from 'kysely';
import { authorKey } from '../authors/names.ts';
import type { Database } from '../db/schema.ts';
import { logModeration } from '../moderation/moderation.store.ts';
import type { Viewer } from '../users/users.store.ts';
import type { LinksInput } from './input.ts';

export type LinksResult =
  | { status: 'done'; githubRepo: string | null; projectPage: string | null }
  | { status: 'not-found' }
  | { status: 'forbidden' };

/**
 * Sets a paper's code and project links. Allowed to the member who featured it, to members a moderator
 * confirmed as one of its authors, and to moderators; a moderator's change to a paper that is not theirs is
 * logged in the same transaction.
 */
export async function setPaperLinks(
  db: Kysely<Database>,
  viewer: Viewer,
  paperId: string,
  input: LinksInput,
  isModerator: boolean,
): Promise<LinksResult> {
  return db.transaction().execute(async (trx) => {
    const paper = await trx
      .selectFrom('papers')
      .select(['id', 'authors', 'github_repo', 'project_page'])
      .where('id', '=', paperId)
      .where('hidden_at', 'is', null)
      .executeTakeFirst();
    if (!paper) return { status: 'not-found' as const };
    const submitter = await trx
      .selectFrom('features')
      .select('paper_id')
      .where('paper_id', '=', paperId)
      .where('submitter_id', '=', viewer.id)
      .executeTakeFirst();
    let own = submitter !== undefined;
    if (!own) {
      const keys = (JSON.parse(paper.authors) as string[]).map(authorKey);
      const claim =
        keys.length > 0
          ? await trx
              .selectFrom('author_claims')
              .select('id')
              .where('user_id', '=', viewer.id)
              .where('status', '=', 'approved')
              .where('author_key', 'in', keys.slice(0, 500))
              .executeTakeFirst()
          : undefined;
      own = claim !== undefined;
    }
    if (!own && !isModerator) return { status: 'forbidden' as const };
    const githubRepo = input.githubRepo === undefined ? paper.github_repo : input.githubRepo;
    const projectPage = input.projectPage === undefined ? paper.project_page : input.projectPage;
    await trx
      .updateTable('papers')
      .set({ github_repo: githubRepo, project_page: projectPage, modified_at: new Date().toISOString() })
      .where('id', '=', paperId)
      .execute();
    if (!own)
      await logModeration(
        trx,
        viewer.id,
        'set-links',
        `paper:${paperId}`,
        `code: ${githubRepo ?? 'none'}; project: ${projectPage ?? 'none'}`,
      );
    return { status: 'done' as const, githubRepo, projectPage };
  });
}

/** Whether the viewer may edit the links (for showing the form): submitter, confirmed author or moderator. */
export async function canEditLinks(
  db: Kysely<Database>,
  viewer: Viewer | null,
  paperId: string,
  authors: string[],
  isModerator: boolean,
): Promise<boolean> {
  if (!viewer) return false;
  if (isModerator) return true;
  const submitter = await db
    .selectFrom('features')
    .select('paper_id')
    .where('paper_id', '=', paperId)
    .where('submitter_id', '=', viewer.id)
    .executeTakeFirst();
  if (submitter) return true;
  const keys = authors.map(authorKey);
  if (keys.length === 0) return false;
  const claim = await db
    .selectFrom('author_claims')
    .select('id')
    .where('user_id', '=', viewer.id)
    .where('status', '=', 'approved')
    .where('author_key', 'in', keys.slice(0, 500))
    .executeTakeFirst();
  return claim !== undefined;
}
