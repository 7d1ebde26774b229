import type { Generated } from 'kysely';

/** The tables as Kysely sees them. Column names are snake_case in SQL. */
export interface Database {
  papers: PapersTable;
  paper_categories: PaperCategoriesTable;
  features: FeaturesTable;
}

export interface PapersTable {
  pk: Generated<number>;
  id: string;
  version: number | null;
  title: string;
  /** JSON array of names */
  authors: string;
  abstract: string;
  /** space-separated, primary first */
  categories: string;
  primary_category: string | null;
  published_at: string | null;
  updated_at: string | null;
  comments: string | null;
  journal_ref: string | null;
  doi: string | null;
  github_repo: string | null;
  project_page: string | null;
  github_stars: number | null;
  ai_summary: string | null;
  ai_summary_model: string | null;
  /** JSON array */
  ai_keywords: string;
  imported_upvotes: number;
  upvotes: number;
  num_comments: number;
  fingerprint: string;
  created_at: string;
  modified_at: string;
}

export interface PaperCategoriesTable {
  category: string;
  paper_pk: number;
  published_at: string | null;
}

export interface FeaturesTable {
  paper_id: string;
  /** YYYY-MM-DD, UTC */
  day: string;
  submitted_at: string;
  submitter: string | null;
  trending_score: number;
  source: string;
  created_at: string;
}
