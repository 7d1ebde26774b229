import type BetterSqlite3 from 'better-sqlite3';
import { boundSqliteMemory } from '../db/connect.ts';
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

export type { BatchCounts };

/**
 * The bulk writer for SQLite: the plans of import-rules.ts carried out by prepared statements, one synchronous
 * transaction per batch, so a batch is either all stored or not at all (Ctrl-C or kill -9 between batches leaves
 * a consistent database). Dialect-only for speed (docs/decisions.md D2, D3).
 */
export function createSqliteImportWriter(sqlite: BetterSqlite3.Database) {
  // a bulk import touches the whole file: read through the OS's page cache, keep the page cache small
  boundSqliteMemory(sqlite);
  const findPaper = sqlite.prepare<[string], ExistingPaper>(
    `SELECT ${EXISTING_PAPER_COLUMNS.join(', ')} FROM papers WHERE id = ?`,
  );
  const insertPaper = sqlite.prepare(
    `INSERT INTO papers (id, version, title, authors, abstract, categories, primary_category, published_at,
       updated_at, comments, journal_ref, doi, github_repo, project_page, github_stars, ai_summary, ai_summary_model,
       ai_keywords, imported_upvotes, upvotes, fingerprint, organization, created_at, modified_at)
     VALUES (@id, @version, @title, @authors, @abstract, @categories, @primaryCategory, @publishedAt, @updatedAt,
       @comments, @journalRef, @doi, @githubRepo, @projectPage, @githubStars, @aiSummary, @aiSummaryModel,
       @aiKeywords, @upvotes, @upvotes, @fingerprint, @organization, @now, @now)`,
  );
  const updateArxiv = sqlite.prepare(
    `UPDATE papers SET version = @version, title = @title, authors = @authors, abstract = @abstract,
       categories = @categories, primary_category = @primaryCategory, published_at = @publishedAt,
       updated_at = @updatedAt, comments = @comments, journal_ref = @journalRef, doi = @doi,
       github_repo = @githubRepo, project_page = @projectPage, fingerprint = @fingerprint, modified_at = @now
     WHERE pk = @pk`,
  );
  const updateHfExtras = sqlite.prepare(
    `UPDATE papers SET github_repo = @githubRepo, project_page = @projectPage, github_stars = @githubStars,
       ai_summary = @aiSummary, ai_summary_model = @aiSummaryModel, ai_keywords = @aiKeywords,
       upvotes = upvotes - imported_upvotes + @importedUpvotes, imported_upvotes = @importedUpvotes,
       published_at = @publishedAt, organization = @organization, modified_at = @now
     WHERE pk = @pk`,
  );
  // New papers enter the search index here, not by trigger (see the 0001 migration for why).
  const indexPaper = sqlite.prepare(
    'INSERT INTO papers_fts (rowid, title, abstract, authors, categories) VALUES (?, ?, ?, ?, ?)',
  );
  const indexTitle = sqlite.prepare('INSERT INTO papers_title_fts (rowid, title) VALUES (?, ?)');
  const deleteCategories = sqlite.prepare('DELETE FROM paper_categories WHERE paper_pk = ?');
  const insertCategory = sqlite.prepare(
    'INSERT OR IGNORE INTO paper_categories (category, paper_pk, published_at) VALUES (?, ?, ?)',
  );
  const findFeature = sqlite.prepare<[string], { day: string; submitted_at: string }>(
    'SELECT day, submitted_at FROM features WHERE paper_id = ?',
  );
  const insertFeature = sqlite.prepare(
    `INSERT INTO features (paper_id, day, submitted_at, submitter, trending_score, source, created_at)
     VALUES (@paperId, @day, @submittedAt, @submitter, @score, 'import', @now)`,
  );
  const moveFeature = sqlite.prepare(
    `UPDATE features SET day = @day, submitted_at = @submittedAt, submitter = @submitter, trending_score = @score
     WHERE paper_id = @paperId`,
  );
  const rescoreFeature = sqlite.prepare(
    'UPDATE features SET trending_score = @score WHERE paper_id = @paperId',
  );

  /** The one place a paper row is inserted: the row, its search index entries and its categories. */
  function insertPaperRow(row: PaperRow): void {
    const pk = Number(insertPaper.run(row).lastInsertRowid);
    indexPaper.run(pk, row.title, row.abstract, row.authors, row.categories);
    indexTitle.run(pk, row.title);
    writeCategories(pk, row, false);
  }

  function writeCategories(pk: number, row: PaperRow, replace: boolean) {
    if (replace) deleteCategories.run(pk);
    for (const category of row.categories ? row.categories.split(' ') : [])
      insertCategory.run(category, pk, row.publishedAt);
  }

  const writeArxivBatch = sqlite.transaction((items: ArxivItem[]): BatchCounts => {
    const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = new Date().toISOString();
    for (const { record, fingerprint } of items) {
      const plan = planArxiv(record, fingerprint, findPaper.get(record.id), now);
      if (plan.kind === 'insert') {
        insertPaperRow(plan.row);
        counts.inserted++;
      } else if (plan.kind === 'update') {
        updateArxiv.run({ ...plan.row, pk: plan.pk });
        writeCategories(plan.pk, plan.row, true);
        counts.updated++;
      } else counts.unchanged++;
    }
    return counts;
  }).immediate;

  const writeHfBatch = sqlite.transaction((records: HfDailyRecord[]): BatchCounts => {
    const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = new Date().toISOString();
    for (const record of records) {
      const paper = planHfPaper(record, findPaper.get(record.paper.id), now);
      if (paper.kind === 'insert') insertPaperRow(paper.row);
      else if (paper.kind === 'update') updateHfExtras.run({ ...paper.extras, pk: paper.pk, now });
      const feature = planFeature(
        record,
        findFeature.get(record.paper.id),
        paper.upvotes,
        paper.kind === 'update',
      );
      const values = { paperId: record.paper.id, ...record.feature };
      if (feature.kind === 'insert') insertFeature.run({ ...values, score: feature.score, now });
      else if (feature.kind === 'move') moveFeature.run({ ...values, score: feature.score });
      else if (feature.kind === 'rescore')
        rescoreFeature.run({ paperId: record.paper.id, score: feature.score });
      countHf(counts, paper, feature);
    }
    return counts;
  }).immediate;

  return { writeArxivBatch, writeHfBatch };
}
