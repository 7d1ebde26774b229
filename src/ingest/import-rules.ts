import type { PaperRecord } from '../papers/paper.ts';
import { trendingScore } from '../ranking/trending.ts';
import type { HfDailyRecord } from './hf-daily.ts';

/**
 * What an import does with each record, decided from the record and what is stored, whatever the engine:
 * the SQLite writer (import.sqlite.ts) and the PostgreSQL writer (import.postgres.ts) only carry
 * these plans out. Pure.
 */
export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** The stored columns the rules read. */
export interface ExistingPaper {
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
  organization: string | null;
}

export const EXISTING_PAPER_COLUMNS = [
  'pk',
  'version',
  'updated_at',
  'published_at',
  'fingerprint',
  'github_repo',
  'project_page',
  'github_stars',
  'ai_summary',
  'ai_summary_model',
  'ai_keywords',
  'imported_upvotes',
  'upvotes',
  'organization',
] as const;

/** Marks papers whose metadata came from Hugging Face only: any arXiv record replaces it. */
export const HF_ONLY = 'hf-only';

/** A new paper row, all columns, in the names of the writers' statements. */
export function paperRow(
  record: PaperRecord,
  fingerprint: string,
  now: string,
  extras: {
    githubStars: number | null;
    aiSummary: string | null;
    aiSummaryModel: string | null;
    aiKeywords: string;
    upvotes: number;
    organization: string | null;
  },
) {
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
    ...extras,
  };
}

export type PaperRow = ReturnType<typeof paperRow>;

export type ArxivPlan =
  | { kind: 'insert'; row: PaperRow }
  | { kind: 'unchanged' }
  | { kind: 'update'; row: PaperRow; pk: number };

/** Inserts new papers, updates those with newer or changed arXiv metadata, leaves the rest. */
export function planArxiv(
  record: PaperRecord,
  fingerprint: string,
  existing: ExistingPaper | undefined,
  now: string,
): ArxivPlan {
  const empty = {
    githubStars: null,
    aiSummary: null,
    aiSummaryModel: null,
    aiKeywords: '[]',
    upvotes: 0,
    organization: null,
  };
  if (!existing) return { kind: 'insert', row: paperRow(record, fingerprint, now, empty) };
  if (
    existing.fingerprint === fingerprint ||
    (existing.fingerprint !== HF_ONLY && isOlder(record, existing))
  ) {
    return { kind: 'unchanged' };
  }
  const row = paperRow(record, fingerprint, now, empty);
  return {
    kind: 'update',
    pk: existing.pk,
    row: {
      ...row,
      // The first version's date never changes once known; a listing date only fills a gap.
      publishedAt:
        record.version !== null ? record.publishedAt : (existing.published_at ?? record.publishedAt),
      githubRepo: existing.github_repo ?? record.githubRepo,
      projectPage: existing.project_page ?? record.projectPage,
    },
  };
}

export interface HfExtras {
  githubRepo: string | null;
  projectPage: string | null;
  githubStars: number | null;
  aiSummary: string | null;
  aiSummaryModel: string | null;
  aiKeywords: string;
  importedUpvotes: number;
  publishedAt: string | null;
  organization: string | null;
}

export type HfPaperPlan =
  | { kind: 'insert'; row: PaperRow; upvotes: number }
  | { kind: 'update'; pk: number; extras: HfExtras; upvotes: number }
  | { kind: 'unchanged'; upvotes: number };

/** Papers from HF fill gaps only: arXiv metadata wins; the upvote baseline is the largest count seen. */
export function planHfPaper(
  record: HfDailyRecord,
  existing: ExistingPaper | undefined,
  now: string,
): HfPaperPlan {
  const { paper } = record;
  if (!existing) {
    return {
      kind: 'insert',
      upvotes: record.upvotes,
      row: paperRow(paper, HF_ONLY, now, {
        githubStars: record.githubStars,
        aiSummary: record.aiSummary,
        aiSummaryModel: record.aiSummary ? record.aiSummaryModel : null,
        aiKeywords: JSON.stringify(record.aiKeywords),
        upvotes: record.upvotes,
        organization: record.organization ?? null,
      }),
    };
  }
  const extras: HfExtras = {
    githubRepo: existing.github_repo ?? paper.githubRepo,
    projectPage: existing.project_page ?? paper.projectPage,
    githubStars: maxOrNull(record.githubStars, existing.github_stars),
    aiSummary: existing.ai_summary ?? record.aiSummary,
    aiSummaryModel: existing.ai_summary
      ? existing.ai_summary_model
      : record.aiSummary
        ? record.aiSummaryModel
        : null,
    aiKeywords: existing.ai_keywords !== '[]' ? existing.ai_keywords : JSON.stringify(record.aiKeywords),
    importedUpvotes: Math.max(existing.imported_upvotes, record.upvotes),
    publishedAt: existing.published_at ?? paper.publishedAt,
    organization: existing.organization ?? record.organization ?? null,
  };
  const upvotes = existing.upvotes - existing.imported_upvotes + extras.importedUpvotes;
  const changed =
    extras.githubRepo !== existing.github_repo ||
    extras.projectPage !== existing.project_page ||
    extras.githubStars !== existing.github_stars ||
    extras.aiSummary !== existing.ai_summary ||
    extras.aiKeywords !== existing.ai_keywords ||
    extras.importedUpvotes !== existing.imported_upvotes ||
    extras.publishedAt !== existing.published_at ||
    extras.organization !== existing.organization;
  return changed ? { kind: 'update', pk: existing.pk, extras, upvotes } : { kind: 'unchanged', upvotes };
}

export type FeaturePlan =
  | { kind: 'insert'; score: number }
  | { kind: 'move'; score: number }
  | { kind: 'rescore'; score: number }
  | { kind: 'none' };

/** A paper is featured once, on its earliest day; its trending score follows its upvotes. */
export function planFeature(
  record: HfDailyRecord,
  existing: { day: string; submitted_at: string } | undefined,
  upvotes: number,
  paperChanged: boolean,
): FeaturePlan {
  const { day, submittedAt } = record.feature;
  const score = trendingScore(upvotes, existing && existing.day <= day ? existing.submitted_at : submittedAt);
  if (!existing) return { kind: 'insert', score };
  if (day < existing.day) return { kind: 'move', score };
  return paperChanged ? { kind: 'rescore', score } : { kind: 'none' };
}

/** How one HF record counts: new paper or feature → inserted; any change → updated. */
export function countHf(counts: BatchCounts, paper: HfPaperPlan, feature: FeaturePlan): void {
  if (paper.kind === 'insert' || feature.kind === 'insert') counts.inserted++;
  else if (paper.kind === 'update' || feature.kind === 'move') counts.updated++;
  else counts.unchanged++;
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
