import type BetterSqlite3 from 'better-sqlite3';
import type { PaperRecord } from '../papers/paper.ts';
import { trendingScore } from '../ranking/trending.ts';
import type { HfDailyRecord } from './hf-daily.ts';
import type { ArxivItem } from './parse-file.ts';

export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

interface ExistingPaper {
  pk: number;
  version: number | null;
  updated_at: string | null;
  published_at: string | null;
  fingerprint: string;
  github_repo: string | null;
  project_page: string | null;
  github_stars: number | null;
  ai_summary: string | null;
  ai_summary_model: string | null;
  ai_keywords: string;
  imported_upvotes: number;
  upvotes: number;
}

/** Marks papers whose metadata came from Hugging Face only: any arXiv record replaces it. */
const HF_ONLY = 'hf-only';

/**
 * The bulk writer for SQLite: prepared statements, one transaction per batch, so a batch is either
 * all stored or not at all (Ctrl-C or kill -9 between batches leaves a consistent database).
 * Kysely stays the query layer everywhere else; this path is dialect-only for speed (docs/decisions.md).
 */
export function createSqliteImportWriter(sqlite: BetterSqlite3.Database) {
  // Memory-mapped pages count towards the process's resident memory; a bulk import touches the whole file,
  // so it reads through the page cache instead (peak RSS stays flat at any file size).
  sqlite.pragma('mmap_size = 0');
  // A batch touches few pages more than once: a small page cache costs nothing in speed and keeps memory flat.
  sqlite.pragma('cache_size = -16000');
  const findPaper = sqlite.prepare<[string], ExistingPaper>(
    `SELECT pk, version, updated_at, published_at, fingerprint, github_repo, project_page, github_stars,
            ai_summary, ai_summary_model, ai_keywords, imported_upvotes, upvotes
     FROM papers WHERE id = ?`,
  );
  const insertPaper = sqlite.prepare(
    `INSERT INTO papers (id, version, title, authors, abstract, categories, primary_category, published_at,
       updated_at, comments, journal_ref, doi, github_repo, project_page, github_stars, ai_summary, ai_summary_model,
       ai_keywords, imported_upvotes, upvotes, fingerprint, created_at, modified_at)
     VALUES (@id, @version, @title, @authors, @abstract, @categories, @primaryCategory, @publishedAt, @updatedAt,
       @comments, @journalRef, @doi, @githubRepo, @projectPage, @githubStars, @aiSummary, @aiSummaryModel,
       @aiKeywords, @upvotes, @upvotes, @fingerprint, @now, @now)`,
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
       published_at = COALESCE(published_at, @publishedAt), modified_at = @now
     WHERE pk = @pk`,
  );
  // New papers enter the search index here, not by trigger (see the 0001 migration for why).
  const indexPaper = sqlite.prepare(
    'INSERT INTO papers_fts (rowid, title, abstract, authors, categories) VALUES (?, ?, ?, ?, ?)',
  );
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
  const updateFeature = sqlite.prepare(
    `UPDATE features SET day = @day, submitted_at = @submittedAt, submitter = @submitter, trending_score = @score
     WHERE paper_id = @paperId`,
  );
  const rescoreFeature = sqlite.prepare(
    `UPDATE features SET trending_score = @score WHERE paper_id = @paperId`,
  );

  /** The one place a paper row is inserted: the row, its search index entry and its categories. */
  function insertPaperRow(
    row: ReturnType<typeof arxivRow> & Record<string, unknown>,
    categories: string[],
  ): number {
    const pk = Number(insertPaper.run(row).lastInsertRowid);
    indexPaper.run(pk, row.title, row.abstract, row.authors, row.categories);
    writeCategories(pk, categories, row.publishedAt, false);
    return pk;
  }

  function writeCategories(pk: number, categories: string[], publishedAt: string | null, replace: boolean) {
    if (replace) deleteCategories.run(pk);
    for (const category of categories) insertCategory.run(category, pk, publishedAt);
  }

  /** Inserts new papers, updates those with newer or changed arXiv metadata, leaves the rest. */
  const writeArxivBatch = sqlite.transaction((items: ArxivItem[]): BatchCounts => {
    const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = new Date().toISOString();
    for (const { record, fingerprint } of items) {
      const existing = findPaper.get(record.id);
      const row = arxivRow(record, fingerprint, now);
      if (!existing) {
        insertPaperRow(
          { ...row, githubStars: null, aiSummary: null, aiSummaryModel: null, aiKeywords: '[]', upvotes: 0 },
          record.categories,
        );
        counts.inserted++;
        continue;
      }
      if (
        existing.fingerprint === fingerprint ||
        (existing.fingerprint !== HF_ONLY && isOlder(record, existing))
      ) {
        counts.unchanged++;
        continue;
      }
      // The first version's date never changes once known; a listing date only fills a gap.
      const publishedAt =
        record.version !== null ? record.publishedAt : (existing.published_at ?? record.publishedAt);
      updateArxiv.run({
        ...row,
        pk: existing.pk,
        publishedAt,
        githubRepo: existing.github_repo ?? record.githubRepo,
        projectPage: existing.project_page ?? record.projectPage,
      });
      writeCategories(existing.pk, record.categories, publishedAt, true);
      counts.updated++;
    }
    return counts;
  });

  /** Papers from HF fill gaps only; the feature is kept once per paper, on its earliest day. */
  const writeHfBatch = sqlite.transaction((records: HfDailyRecord[]): BatchCounts => {
    const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = new Date().toISOString();
    for (const record of records) {
      const { paper } = record;
      const existing = findPaper.get(paper.id);
      let upvotes: number;
      let changed = false;
      let inserted = false;
      if (!existing) {
        insertPaperRow(
          {
            ...arxivRow(paper, HF_ONLY, now),
            githubStars: record.githubStars,
            aiSummary: record.aiSummary,
            aiSummaryModel: record.aiSummary ? record.aiSummaryModel : null,
            aiKeywords: JSON.stringify(record.aiKeywords),
            upvotes: record.upvotes,
          },
          paper.categories,
        );
        upvotes = record.upvotes;
        inserted = true;
      } else {
        const next = {
          githubRepo: existing.github_repo ?? paper.githubRepo,
          projectPage: existing.project_page ?? paper.projectPage,
          githubStars: maxOrNull(record.githubStars, existing.github_stars),
          aiSummary: existing.ai_summary ?? record.aiSummary,
          aiSummaryModel: existing.ai_summary
            ? existing.ai_summary_model
            : record.aiSummary
              ? record.aiSummaryModel
              : null,
          aiKeywords:
            existing.ai_keywords !== '[]' ? existing.ai_keywords : JSON.stringify(record.aiKeywords),
          importedUpvotes: Math.max(existing.imported_upvotes, record.upvotes),
        };
        upvotes = existing.upvotes - existing.imported_upvotes + next.importedUpvotes;
        changed =
          next.githubRepo !== existing.github_repo ||
          next.projectPage !== existing.project_page ||
          next.githubStars !== existing.github_stars ||
          next.aiSummary !== existing.ai_summary ||
          next.aiKeywords !== existing.ai_keywords ||
          next.importedUpvotes !== existing.imported_upvotes ||
          (existing.published_at === null && paper.publishedAt !== null);
        if (changed) updateHfExtras.run({ ...next, pk: existing.pk, publishedAt: paper.publishedAt, now });
      }
      const { day, submittedAt, submitter } = record.feature;
      const feature = findFeature.get(paper.id);
      const score = trendingScore(
        upvotes,
        feature && feature.day <= day ? feature.submitted_at : submittedAt,
      );
      if (!feature) {
        insertFeature.run({ paperId: paper.id, day, submittedAt, submitter, score, now });
        inserted = true;
      } else if (day < feature.day) {
        updateFeature.run({ paperId: paper.id, day, submittedAt, submitter, score });
        changed = true;
      } else if (changed) {
        rescoreFeature.run({ paperId: paper.id, score });
      }
      if (inserted) counts.inserted++;
      else if (changed) counts.updated++;
      else counts.unchanged++;
    }
    return counts;
  });

  return { writeArxivBatch, writeHfBatch };
}

function arxivRow(record: PaperRecord, fingerprint: string, now: string) {
  return {
    id: record.id,
    version: record.version,
    title: record.title,
    authors: JSON.stringify(record.authors),
    abstract: record.abstract,
    categories: record.categories.join(' '),
    primaryCategory: record.categories[0] ?? null,
    publishedAt: record.publishedAt,
    updatedAt: record.updatedAt,
    comments: record.comments,
    journalRef: record.journalRef,
    doi: record.doi,
    githubRepo: record.githubRepo,
    projectPage: record.projectPage,
    fingerprint,
    now,
  };
}

/** A record older than what is stored: a lower version, or the same version last updated earlier. */
function isOlder(record: PaperRecord, existing: ExistingPaper): boolean {
  if (record.version !== null && existing.version !== null) {
    if (record.version !== existing.version) return record.version < existing.version;
  }
  if (record.updatedAt && existing.updated_at) return record.updatedAt < existing.updated_at;
  return false;
}

/** The larger of two counts that may be missing: the same answer whatever order files come in. */
function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
