/**
 * What a keyword search asks and answers, whichever the engine: SQLite's FTS5 (search.sqlite.ts) or
 * PostgreSQL's tsvector (search.postgres.ts) implement it.
 */
import type { Paper } from '../papers/paper.ts';
import type { Embedder } from './embeddings/embedder.ts';
import type { ParsedQuery } from './query-parse.ts';

export type SearchSort = 'relevance' | 'date' | 'upvotes';

export interface SearchFilters {
  /** a category from the filter form (cs.CL), on top of any `cat:` in the query */
  category: string | null;
  featuredOnly: boolean;
  /** inclusive YYYY-MM-DD bounds, on top of the query's `year:`/`after:`/`before:` */
  after: string | null;
  before: string | null;
}

export interface SearchHit {
  paper: Paper;
  pk: number;
  /** title and abstract excerpt with matches between MARK_START and MARK_END */
  highlightedTitle: string;
  highlightedSummary: string;
  featuredDay: string | null;
  submitter: string | null;
  submittedAt: string | null;
}

export interface SearchResult {
  hits: SearchHit[];
  /** whether another page follows */
  more: boolean;
  /** no paper had every word, so papers with any of them are shown */
  widened: boolean;
}

export const NO_FILTERS: SearchFilters = { category: null, featuredOnly: false, after: null, before: null };

export interface SearchOutcome {
  query: ParsedQuery;
  hits: SearchHit[];
  more: boolean;
  widened: boolean;
  /** the query with misspelt words corrected, when nothing (or only some words) matched */
  suggestion: string | null;
  /** how the results were ranked */
  mode: 'keyword' | 'hybrid';
}

/** Candidates each side brings to the fusion. */
export const FUSION_DEPTH = 100;

export interface SearchServiceOptions {
  /** the embedding model, or null (EMBEDDINGS_PROVIDER=none) */
  embedder: Embedder | null;
  /** told when the embedding model fails (the search goes on with words alone) */
  onError?: (err: unknown) => void;
  /** the vectors' weight in the fusion, words' being 1 (EMBEDDINGS_WEIGHT) */
  vectorWeight?: number;
}

/** Whether a query is plain words (no filters, exclusions or authors): only those are fused with vectors. */
export function plainWords(query: ParsedQuery, filters: SearchFilters): boolean {
  return (
    query.groups.length > 0 &&
    query.authors.length === 0 &&
    query.categories.length === 0 &&
    query.excluded.length === 0 &&
    !query.after &&
    !query.before &&
    !filters.category &&
    !filters.featuredOnly &&
    !filters.after &&
    !filters.before
  );
}

export interface SearchInput {
  q: string;
  filters: SearchFilters;
  sort: SearchSort;
  offset: number;
  limit: number;
}

export interface SearchService {
  search(input: SearchInput): Promise<SearchOutcome>;
  /** papers like the paper `id`, best first; null when there is no such paper */
  similar(id: string, limit: number): Promise<SearchHit[] | null>;
  embedder: Embedder | null;
  filtersNone: SearchFilters;
}
