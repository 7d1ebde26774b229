import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type CopyValue, copyClient, copyRows } from './copy.postgres.ts';
import { EXISTING_PAPER_COLUMNS, type ExistingPaper, type PaperRow } from './import-rules.ts';

/**
 * The planned paper rows of a batch, written set-wise (docs/decisions.md D61): COPY into a staging table of the
 * transaction, then one UPDATE … FROM for the papers that change, one INSERT … SELECT for the new ones (their
 * search vectors computed by the generated column, as any insert does), and their categories by one DELETE and
 * one INSERT … SELECT. The same rows and columns as one INSERT or UPDATE per paper would write.
 */

/** A planned write: a new paper (pk null), or the arXiv fields of a stored one (its pk). */
export interface StagedPaper {
  pk: number | null;
  row: PaperRow;
}

const STAGING = 'paper_staging';

/** The staging table's columns, in COPY's order. `ord` keeps the batch's order for the new papers' pks. */
const STAGING_COLUMNS: [name: string, type: string, value: (p: StagedPaper, ord: number) => CopyValue][] = [
  ['ord', 'integer', (_, ord) => ord],
  ['pk', 'integer', (p) => p.pk],
  ['id', 'text', (p) => p.row.id],
  ['version', 'integer', (p) => p.row.version],
  ['title', 'text', (p) => p.row.title],
  ['authors', 'text', (p) => p.row.authors],
  ['abstract', 'text', (p) => p.row.abstract],
  ['categories', 'text', (p) => p.row.categories],
  ['primary_category', 'text', (p) => p.row.primaryCategory],
  ['published_at', 'text', (p) => p.row.publishedAt],
  ['updated_at', 'text', (p) => p.row.updatedAt],
  ['comments', 'text', (p) => p.row.comments],
  ['journal_ref', 'text', (p) => p.row.journalRef],
  ['doi', 'text', (p) => p.row.doi],
  ['github_repo', 'text', (p) => p.row.githubRepo],
  ['project_page', 'text', (p) => p.row.projectPage],
  ['github_stars', 'integer', (p) => p.row.githubStars],
  ['ai_summary', 'text', (p) => p.row.aiSummary],
  ['ai_summary_model', 'text', (p) => p.row.aiSummaryModel],
  ['ai_keywords', 'text', (p) => p.row.aiKeywords],
  ['upvotes', 'integer', (p) => p.row.upvotes],
  ['fingerprint', 'text', (p) => p.row.fingerprint],
  ['organization', 'text', (p) => p.row.organization],
  ['now', 'text', (p) => p.row.now],
];

/** The columns an arXiv record sets: on insert, and again when a newer version updates the paper. */
const ARXIV_COLUMNS = [
  'version',
  'title',
  'authors',
  'abstract',
  'categories',
  'primary_category',
  'published_at',
  'updated_at',
  'comments',
  'journal_ref',
  'doi',
  'github_repo',
  'project_page',
  'fingerprint',
];

/** papers' columns of a new paper, and what each takes from the staging row `s`. */
const INSERTED: [column: string, value: string][] = [
  ['id', 's.id'],
  ...ARXIV_COLUMNS.map((c): [string, string] => [c, `s.${c}`]),
  ['github_stars', 's.github_stars'],
  ['ai_summary', 's.ai_summary'],
  ['ai_summary_model', 's.ai_summary_model'],
  ['ai_keywords', 's.ai_keywords'],
  ['imported_upvotes', 's.upvotes'],
  ['upvotes', 's.upvotes'],
  ['organization', 's.organization'],
  ['created_at', 's.now'],
  ['modified_at', 's.now'],
  ['num_comments', '0'],
];

const RETURNED = ['id', ...EXISTING_PAPER_COLUMNS];

const CREATE_STAGING = sql.raw(
  `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (${STAGING_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')}) ON COMMIT DROP`,
);
const UPDATE_PAPERS = sql.raw(
  `UPDATE papers AS p SET ${ARXIV_COLUMNS.map((c) => `${c} = s.${c}`).join(', ')}, modified_at = s.now
   FROM ${STAGING} AS s WHERE s.pk IS NOT NULL AND p.pk = s.pk
   RETURNING ${RETURNED.map((c) => `p.${c}`).join(', ')}`,
);
const INSERT_PAPERS = sql.raw(
  `INSERT INTO papers (${INSERTED.map(([c]) => c).join(', ')})
   SELECT ${INSERTED.map(([, v]) => v).join(', ')} FROM ${STAGING} AS s WHERE s.pk IS NULL ORDER BY s.ord
   RETURNING ${RETURNED.join(', ')}`,
);
// A changed paper's categories are replaced; the list is split on single spaces, as the SQLite writer splits it
const DELETE_CATEGORIES = sql.raw(
  `DELETE FROM paper_categories AS c USING ${STAGING} AS s WHERE s.pk IS NOT NULL AND c.paper_pk = s.pk`,
);
const INSERT_CATEGORIES = sql.raw(
  `INSERT INTO paper_categories (category, paper_pk, published_at)
   SELECT c.category, p.pk, s.published_at
   FROM ${STAGING} AS s JOIN papers AS p ON p.id = s.id
   CROSS JOIN LATERAL unnest(string_to_array(s.categories, ' ')) AS c (category)
   ON CONFLICT DO NOTHING`,
);

/**
 * Writes the staged papers of a batch (at most one per id) in the caller's transaction, which clientTransaction
 * began; answers the stored columns the rules read, of every paper written, by id.
 */
export async function writeStagedPapers(
  trx: Transaction<Database>,
  papers: StagedPaper[],
): Promise<(ExistingPaper & { id: string })[]> {
  if (papers.length === 0) return [];
  await CREATE_STAGING.execute(trx);
  await copyRows(
    copyClient(trx),
    STAGING,
    STAGING_COLUMNS.map(([name]) => name),
    papers.map((p, ord) => STAGING_COLUMNS.map(([, , value]) => value(p, ord))),
  );
  const written: (ExistingPaper & { id: string })[] = [];
  const anyUpdate = papers.some((p) => p.pk !== null);
  if (anyUpdate)
    written.push(...(await sql<ExistingPaper & { id: string }>`${UPDATE_PAPERS}`.execute(trx)).rows);
  if (papers.some((p) => p.pk === null))
    written.push(...(await sql<ExistingPaper & { id: string }>`${INSERT_PAPERS}`.execute(trx)).rows);
  if (anyUpdate) await DELETE_CATEGORIES.execute(trx);
  await INSERT_CATEGORIES.execute(trx);
  // empty again for the next write of this transaction (a batch with a paper twice writes twice)
  await sql.raw(`TRUNCATE ${STAGING}`).execute(trx);
  return written;
}
