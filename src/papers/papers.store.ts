import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Database, PapersTable } from '../db/schema.ts';
import type { Paper } from './paper.ts';

export type PaperRow = Selectable<PapersTable>;

/** The columns pages and the API read (everything but bookkeeping). */
export const PAPER_COLUMNS = [
  'papers.id',
  'papers.version',
  'papers.title',
  'papers.authors',
  'papers.abstract',
  'papers.categories',
  'papers.primary_category',
  'papers.published_at',
  'papers.updated_at',
  'papers.comments',
  'papers.journal_ref',
  'papers.doi',
  'papers.github_repo',
  'papers.project_page',
  'papers.github_stars',
  'papers.ai_summary',
  'papers.ai_summary_model',
  'papers.ai_keywords',
  'papers.upvotes',
  'papers.num_comments',
  'papers.hidden_at',
  'papers.ai_summary_origin',
  'papers.organization',
] as const;

/**
 * PAPER_COLUMNS for raw SQL over `papers` under an alias: `p.id, p.version, …`. Never `p.*`: on PostgreSQL that
 * also reads every row's search vector (kilobytes, from TOAST) and sends it as text for nothing.
 */
export function paperColumnsOf(alias: string): RawBuilder<unknown> {
  return sql.join(PAPER_COLUMNS.map((column) => sql.ref(`${alias}.${column.slice('papers.'.length)}`)));
}

type PaperColumnsRow = Pick<
  PaperRow,
  | 'id'
  | 'version'
  | 'title'
  | 'authors'
  | 'abstract'
  | 'categories'
  | 'primary_category'
  | 'published_at'
  | 'updated_at'
  | 'comments'
  | 'journal_ref'
  | 'doi'
  | 'github_repo'
  | 'project_page'
  | 'github_stars'
  | 'ai_summary'
  | 'ai_summary_model'
  | 'ai_keywords'
  | 'upvotes'
  | 'num_comments'
  | 'hidden_at'
  | 'ai_summary_origin'
  | 'organization'
>;

/** A database row → the Paper the rest of the code uses. */
export function paperFromRow(row: PaperColumnsRow): Paper {
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    authors: parseJsonList(row.authors),
    abstract: row.abstract,
    categories: row.categories ? row.categories.split(' ') : [],
    primaryCategory: row.primary_category,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    comments: row.comments,
    journalRef: row.journal_ref,
    doi: row.doi,
    githubRepo: row.github_repo,
    projectPage: row.project_page,
    githubStars: row.github_stars,
    aiSummary: row.ai_summary,
    aiSummaryModel: row.ai_summary_model,
    aiKeywords: parseJsonList(row.ai_keywords),
    upvotes: row.upvotes,
    numComments: row.num_comments,
    hidden: row.hidden_at !== null,
    aiSummaryOrigin: row.ai_summary_origin ?? null,
    organization: row.organization ?? null,
  };
}

function parseJsonList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export async function findPaper(db: Kysely<Database>, id: string): Promise<Paper | null> {
  const row = await db.selectFrom('papers').select(PAPER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? paperFromRow(row) : null;
}

export async function countPapers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewPapersQuery {
  category: string | null;
  offset: number;
  limit: number;
}

/** The newest papers in the store, optionally of one category (primary or cross-listed). */
export async function listNewPapers(db: Kysely<Database>, q: NewPapersQuery): Promise<Paper[]> {
  if (q.category) {
    const rows = await db
      .selectFrom('paper_categories')
      .innerJoin('papers', 'papers.pk', 'paper_categories.paper_pk')
      .select(PAPER_COLUMNS)
      .where('paper_categories.category', '=', q.category)
      .where('papers.hidden_at', 'is', null)
      .orderBy('paper_categories.published_at', 'desc')
      .orderBy('papers.pk', 'desc')
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    return rows.map(paperFromRow);
  }
  const rows = await db
    .selectFrom('papers')
    .select(PAPER_COLUMNS)
    .where('hidden_at', 'is', null)
    .orderBy('published_at', 'desc')
    .orderBy('pk', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  return rows.map(paperFromRow);
}

/** The categories with the most papers, for the filter on /new. */
export async function topCategories(
  db: Kysely<Database>,
  limit: number,
): Promise<{ category: string; papers: number }[]> {
  const rows = await db
    .selectFrom('papers')
    .select(['primary_category as category', (eb) => eb.fn.countAll<number>().as('papers')])
    .where('primary_category', 'is not', null)
    .groupBy('primary_category')
    .orderBy('papers', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ category: r.category as string, papers: Number(r.papers) }));
}

/** Where a listing by arXiv date stopped: the last paper's date (null for undated papers) and row key. */
export interface PaperPosition {
  publishedAt: string | null;
  pk: number;
}

/**
 * Every visible paper by arXiv date, newest first (ties: the later row first), then the undated ones: `limit`
 * papers after `after` (keyset paging on the papers_published index, so a deep page costs what the first does,
 * and papers added meanwhile neither repeat nor shift the pages).
 */
export async function listPapersByDate(
  db: Kysely<Database>,
  after: PaperPosition | null,
  limit: number,
): Promise<{ paper: Paper; position: PaperPosition }[]> {
  const select = () =>
    db
      .selectFrom('papers')
      .select([...PAPER_COLUMNS, 'papers.pk'])
      .where('hidden_at', 'is', null);
  const rows: Awaited<ReturnType<ReturnType<typeof select>['execute']>> = [];
  if (after === null || after.publishedAt !== null) {
    let dated = select().where('published_at', 'is not', null);
    if (after?.publishedAt) {
      const at = after.publishedAt;
      dated = dated.where((eb) =>
        eb.or([eb('published_at', '<', at), eb.and([eb('published_at', '=', at), eb('pk', '<', after.pk)])]),
      );
    }
    rows.push(...(await dated.orderBy('published_at', 'desc').orderBy('pk', 'desc').limit(limit).execute()));
  }
  if (rows.length < limit) {
    let undated = select().where('published_at', 'is', null);
    if (after && after.publishedAt === null) undated = undated.where('pk', '<', after.pk);
    rows.push(
      ...(await undated
        .orderBy('pk', 'desc')
        .limit(limit - rows.length)
        .execute()),
    );
  }
  return rows.map((row) => ({
    paper: paperFromRow(row),
    position: { publishedAt: row.published_at, pk: row.pk },
  }));
}
