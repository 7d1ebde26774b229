import type { Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type { Database } from '../db/schema.ts';
import { clientTransaction } from './copy.postgres.ts';
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
import { type StagedPaper, writeStagedPapers } from './paper-staging.postgres.ts';
import type { ArxivItem } from './parse-file.ts';

/**
 * The bulk writer for PostgreSQL: the same plans as the SQLite writer (import-rules.ts), one transaction per
 * batch, so a batch is either all stored or not at all. The stored papers of a batch are read in one query and
 * every record planned against them; the arXiv papers to insert or update are then written set-wise
 * (paper-staging.postgres.ts): COPY into a staging table of the transaction, one INSERT … SELECT for the new
 * papers and one UPDATE … FROM for the changed ones, their categories likewise (docs/decisions.md D61). The
 * full-text index is a generated column, so the server computes a paper's search vector as its row is written.
 * HF records are a day's list at a time and keep their statements per record.
 */
export function createPostgresImportWriter(store: { db: Kysely<Database>; pool: pg.Pool }) {
  const { db, pool } = store;

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
    const categories = row.categories ? [...new Set(row.categories.split(' '))] : [];
    if (categories.length > 0)
      await trx
        .insertInto('paper_categories')
        .values(
          categories.map((category) => ({ category, paper_pk: inserted.pk, published_at: row.publishedAt })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    return inserted;
  }

  /**
   * arXiv records in a transaction begun by `transaction` (the harvest commits a page with its state in one):
   * planned in order and written once all are planned, or earlier when a paper comes twice, so that its second
   * record is planned against what the first wrote.
   */
  async function writeArxivBatchIn(trx: Transaction<Database>, items: ArxivItem[]): Promise<BatchCounts> {
    const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = new Date().toISOString();
    const stored = await existingPapers(
      trx,
      items.map((i) => i.record.id),
    );
    let pending = new Map<string, StagedPaper>();
    const flush = async () => {
      for (const row of await writeStagedPapers(trx, [...pending.values()])) stored.set(row.id, row);
      pending = new Map();
    };
    for (const { record, fingerprint } of items) {
      if (pending.has(record.id)) await flush();
      const plan = planArxiv(record, fingerprint, stored.get(record.id), now);
      if (plan.kind === 'insert') {
        pending.set(record.id, { pk: null, row: plan.row });
        counts.inserted++;
      } else if (plan.kind === 'update') {
        pending.set(record.id, { pk: plan.pk, row: plan.row });
        counts.updated++;
      } else counts.unchanged++;
    }
    await flush();
    return counts;
  }

  /** A transaction whose writeArxivBatchIn can COPY (copy.postgres.ts). */
  function transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return clientTransaction(pool, fn);
  }

  async function writeArxivBatch(items: ArxivItem[]): Promise<BatchCounts> {
    return transaction((trx) => writeArxivBatchIn(trx, items));
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

  return { transaction, writeArxivBatch, writeArxivBatchIn, writeHfBatch };
}

function paperValues(row: PaperRow) {
  return {
    id: row.id,
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
