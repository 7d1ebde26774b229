import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { HfDailyRecord } from './hf-daily.ts';
import {
  type BatchCounts,
  countHf,
  EXISTING_PAPER_COLUMNS,
  type ExistingPaper,
  type PaperRow,
  planArxiv,
  planFeature,
  planHfPaper,
} from './import-rules.ts';
import type { ArxivItem } from './parse-file.ts';

/** Rows per multi-row INSERT: 23 columns × 500 stays far below PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 500;

/**
 * The bulk writer for PostgreSQL: the same plans as the SQLite writer (import-rules.ts), one transaction per
 * batch. The stored papers of a batch are read in one query; the full-text index is a generated column, so
 * inserting the row indexes it.
 */
export function createPostgresImportWriter(db: Kysely<Database>) {
  async function existingPapers(
    trx: Transaction<Database>,
    ids: string[],
  ): Promise<Map<string, ExistingPaper & { id: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await trx
      .selectFrom('papers')
      .select(['id', ...EXISTING_PAPER_COLUMNS])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  async function insertPaperRow(trx: Transaction<Database>, row: PaperRow): Promise<ExistingPaper> {
    const inserted = await trx
      .insertInto('papers')
      .values(paperValues(row))
      .returning([...EXISTING_PAPER_COLUMNS])
      .executeTakeFirstOrThrow();
    await writeCategories(trx, inserted.pk, row, false);
    return inserted;
  }

  async function writeCategories(trx: Transaction<Database>, pk: number, row: PaperRow, replace: boolean) {
    if (replace) await trx.deleteFrom('paper_categories').where('paper_pk', '=', pk).execute();
    const categories = row.categories ? [...new Set(row.categories.split(' '))] : [];
    if (categories.length === 0) return;
    await trx
      .insertInto('paper_categories')
      .values(categories.map((category) => ({ category, paper_pk: pk, published_at: row.publishedAt })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Inserts rows in multi-row statements (one round trip for many papers) and their categories likewise. */
  async function insertPaperRows(
    trx: Transaction<Database>,
    rows: PaperRow[],
  ): Promise<(ExistingPaper & { id: string })[]> {
    const inserted: (ExistingPaper & { id: string })[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      inserted.push(
        ...(await trx
          .insertInto('papers')
          .values(chunk.map(paperValues))
          .returning(['id', ...EXISTING_PAPER_COLUMNS])
          .execute()),
      );
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const categories = inserted.flatMap((p) => {
      const row = byId.get(p.id)!;
      return [...new Set(row.categories ? row.categories.split(' ') : [])].map((category) => ({
        category,
        paper_pk: p.pk,
        published_at: row.publishedAt,
      }));
    });
    for (let i = 0; i < categories.length; i += INSERT_CHUNK * 4) {
      await trx
        .insertInto('paper_categories')
        .values(categories.slice(i, i + INSERT_CHUNK * 4))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    return inserted;
  }

  /** arXiv records in a transaction the caller holds (the harvest commits a page with its state in one). */
  async function writeArxivBatchIn(trx: Transaction<Database>, items: ArxivItem[]): Promise<BatchCounts> {
    const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = new Date().toISOString();
    const stored = await existingPapers(
      trx,
      items.map((i) => i.record.id),
    );
    let pending = new Map<string, PaperRow>();
    const flush = async () => {
      for (const row of await insertPaperRows(trx, [...pending.values()])) stored.set(row.id, row);
      pending = new Map();
    };
    for (const { record, fingerprint } of items) {
      // a second record of a paper inserted in this batch is planned against the stored row
      if (pending.has(record.id)) await flush();
      const plan = planArxiv(record, fingerprint, stored.get(record.id), now);
      if (plan.kind === 'insert') {
        pending.set(record.id, plan.row);
        counts.inserted++;
      } else if (plan.kind === 'update') {
        const { row } = plan;
        const updated = await trx
          .updateTable('papers')
          .set({ ...arxivFields(row), modified_at: row.now })
          .where('pk', '=', plan.pk)
          .returning([...EXISTING_PAPER_COLUMNS])
          .executeTakeFirstOrThrow();
        stored.set(record.id, { ...updated, id: record.id });
        await writeCategories(trx, plan.pk, row, true);
        counts.updated++;
      } else counts.unchanged++;
    }
    await flush();
    return counts;
  }

  async function writeArxivBatch(items: ArxivItem[]): Promise<BatchCounts> {
    return db.transaction().execute((trx) => writeArxivBatchIn(trx, items));
  }

  async function writeHfBatch(records: HfDailyRecord[]): Promise<BatchCounts> {
    return db.transaction().execute(async (trx) => {
      const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
      const now = new Date().toISOString();
      const stored = await existingPapers(
        trx,
        records.map((r) => r.paper.id),
      );
      for (const record of records) {
        const id = record.paper.id;
        const paper = planHfPaper(record, stored.get(id), now);
        if (paper.kind === 'insert') stored.set(id, { ...(await insertPaperRow(trx, paper.row)), id });
        else if (paper.kind === 'update') {
          const e = paper.extras;
          const updated = await trx
            .updateTable('papers')
            .set((eb) => ({
              github_repo: e.githubRepo,
              project_page: e.projectPage,
              github_stars: e.githubStars,
              ai_summary: e.aiSummary,
              ai_summary_model: e.aiSummaryModel,
              ai_keywords: e.aiKeywords,
              upvotes: eb(eb('upvotes', '-', eb.ref('imported_upvotes')), '+', e.importedUpvotes),
              imported_upvotes: e.importedUpvotes,
              published_at: e.publishedAt,
              organization: e.organization,
              modified_at: now,
            }))
            .where('pk', '=', paper.pk)
            .returning([...EXISTING_PAPER_COLUMNS])
            .executeTakeFirstOrThrow();
          stored.set(id, { ...updated, id });
        }
        const existingFeature = await trx
          .selectFrom('features')
          .select(['day', 'submitted_at'])
          .where('paper_id', '=', id)
          .executeTakeFirst();
        const feature = planFeature(record, existingFeature, paper.upvotes, paper.kind === 'update');
        const { day, submittedAt, submitter } = record.feature;
        if (feature.kind === 'insert') {
          await trx
            .insertInto('features')
            .values({
              paper_id: id,
              day,
              submitted_at: submittedAt,
              submitter,
              trending_score: feature.score,
              source: 'import',
              created_at: now,
            })
            .execute();
        } else if (feature.kind === 'move') {
          await trx
            .updateTable('features')
            .set({ day, submitted_at: submittedAt, submitter, trending_score: feature.score })
            .where('paper_id', '=', id)
            .execute();
        } else if (feature.kind === 'rescore') {
          await trx
            .updateTable('features')
            .set({ trending_score: feature.score })
            .where('paper_id', '=', id)
            .execute();
        }
        countHf(counts, paper, feature);
      }
      return counts;
    });
  }

  return { writeArxivBatch, writeArxivBatchIn, writeHfBatch };
}

/** The columns an arXiv record sets: written on insert, and again when a newer version updates the paper. */
function arxivFields(row: PaperRow) {
  return {
    version: row.version,
    title: row.title,
    authors: row.authors,
    abstract: row.abstract,
    categories: row.categories,
    primary_category: row.primaryCategory,
    published_at: row.publishedAt,
    updated_at: row.updatedAt,
    comments: row.comments,
    journal_ref: row.journalRef,
    doi: row.doi,
    github_repo: row.githubRepo,
    project_page: row.projectPage,
    fingerprint: row.fingerprint,
  };
}

function paperValues(row: PaperRow) {
  return {
    id: row.id,
    ...arxivFields(row),
    github_stars: row.githubStars,
    ai_summary: row.aiSummary,
    ai_summary_model: row.aiSummaryModel,
    ai_keywords: row.aiKeywords,
    imported_upvotes: row.upvotes,
    upvotes: row.upvotes,
    organization: row.organization,
    created_at: row.now,
    modified_at: row.now,
    num_comments: 0,
  };
}
