import type { Generated } from 'kysely';

/** The tables as Kysely sees them. Column names are snake_case in SQL. */
export interface Database {
  papers: PapersTable;
  paper_categories: PaperCategoriesTable;
  features: FeaturesTable;
  harvest_state: HarvestStateTable;
  harvest_runs: HarvestRunsTable;
  arxiv_deletions: ArxivDeletionsTable;
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

export interface HarvestStateTable {
  /** 'daily', or 'backfill:FROM..UNTIL' while a back-fill is in progress */
  scope: string;
  set_spec: string;
  metadata_prefix: string;
  /** YYYY-MM-DD: the `from` of the next list */
  next_from: string | null;
  /** the list in progress: its from, until, first responseDate (day) and the token to send next */
  list_from: string | null;
  list_until: string | null;
  list_started: string | null;
  token: string | null;
  token_expires_at: string | null;
  pages: number;
  last_success_at: string | null;
  updated_at: string;
}

export interface HarvestRunsTable {
  id: Generated<number>;
  /** 'schedule' | 'cli' | 'backfill' */
  trigger: string;
  /** 'running' | 'ok' | 'failed' | 'forbidden' | 'stopped' | 'interrupted' */
  status: string;
  started_at: string;
  finished_at: string | null;
  heartbeat_at: string;
  pid: number;
  host: string;
  /** space-separated */
  sets: string;
  from_day: string | null;
  until_day: string | null;
  pages: number;
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  filtered: number;
  rejected: number;
  errors: number;
  error: string | null;
}

export interface ArxivDeletionsTable {
  paper_id: string;
  datestamp: string | null;
  first_seen_at: string;
}
