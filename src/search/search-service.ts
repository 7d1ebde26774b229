/**
 * Search as pages and the API use it: keyword search (search.store.ts), fused with semantic search when an
 * embedding model is configured (hybrid.ts), spelling suggestions when nothing is found, and similar papers.
 */
import type { PostgresStore, SqliteStore, Store } from '../db/connect.ts';
import type { Embedder } from './embeddings/embedder.ts';
import { loadHits } from './hits.store.ts';
import { RRF_K, reciprocalRankFusion } from './hybrid.ts';
import { searchPapersPostgres, similarPapersPostgres } from './postgres-fts.ts';
import { isSearchable, type ParsedQuery, parseQuery } from './query-parse.ts';
import {
  NO_FILTERS,
  queryTerms,
  type SearchFilters,
  type SearchHit,
  type SearchSort,
  searchKeys,
  searchPapers,
} from './search.store.ts';
import { paperKey, similarKeys } from './similar.store.ts';
import { postgresCounter, sqliteCounter, suggestQuery } from './suggest.store.ts';
import { nearestKeys, paperVector } from './vectors.store.ts';

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
const FUSION_DEPTH = 100;

export interface SearchServiceOptions {
  /** the embedding model, or null (EMBEDDINGS_PROVIDER=none) */
  embedder: Embedder | null;
  /** told when the embedding model fails (the search goes on with words alone) */
  onError?: (err: unknown) => void;
  /** the vectors' weight in the fusion, words' being 1 (EMBEDDINGS_WEIGHT) */
  vectorWeight?: number;
}

/** Whether a query is plain words (no filters, exclusions or authors): only those are fused with vectors. */
function plainWords(query: ParsedQuery, filters: SearchFilters): boolean {
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

export function createSearchService(store: Store, options: SearchServiceOptions): SearchService {
  if (store.dialect === 'postgres') return createPostgresSearchService(store);
  return createSqliteSearchService(store, options);
}

/** PostgreSQL: keyword search, spelling suggestions and similar papers by words (postgres-fts.ts); no vectors yet. */
function createPostgresSearchService(store: PostgresStore): SearchService {
  const counter = postgresCounter(store);
  return {
    async search(input) {
      const query = parseQuery(input.q);
      if (!isSearchable(query))
        return { query, hits: [], more: false, widened: false, suggestion: null, mode: 'keyword' };
      const result = await searchPapersPostgres(store, { query, ...input });
      const suggestion =
        result.hits.length === 0 || result.widened ? await suggestQuery(counter, query, input.q) : null;
      return { query, ...result, suggestion, mode: 'keyword' };
    },
    similar: (id: string, limit: number) => similarPapersPostgres(store, id, limit),
    embedder: null,
    filtersNone: NO_FILTERS,
  };
}

function createSqliteSearchService(store: SqliteStore, options: SearchServiceOptions): SearchService {
  const embedder = options.embedder;
  const weight = options.vectorWeight ?? 1;
  const counter = sqliteCounter(store);

  async function search(input: SearchInput): Promise<SearchOutcome> {
    const query = parseQuery(input.q);
    if (!isSearchable(query)) {
      return { query, hits: [], more: false, widened: false, suggestion: null, mode: 'keyword' };
    }
    if (embedder && input.sort === 'relevance' && plainWords(query, input.filters)) {
      const hybrid = await hybridSearch(query, input.q, input.offset, input.limit);
      if (hybrid) return hybrid;
    }
    const result = searchPapers(store, { query, ...input });
    const suggestion =
      result.hits.length === 0 || result.widened ? await suggestQuery(counter, query, input.q) : null;
    return { query, ...result, suggestion, mode: 'keyword' };
  }

  /** BM25 and vector neighbours fused by reciprocal rank; null when no paper has a vector yet. */
  async function hybridSearch(
    query: ParsedQuery,
    text: string,
    offset: number,
    limit: number,
  ): Promise<SearchOutcome | null> {
    if (!embedder) return null;
    let vector: Float32Array | undefined;
    try {
      [vector] = await embedder.embed([text], 'query');
    } catch (err) {
      // the model's server is down or slow: words alone still answer
      options.onError?.(err);
      return null;
    }
    const semantic = vector ? nearestKeys(store, embedder.id, vector, FUSION_DEPTH) : [];
    if (semantic.length === 0) return null;
    const keyword = searchKeys(store, query, FUSION_DEPTH);
    const fused = reciprocalRankFusion([keyword, semantic], RRF_K, [1, weight]);
    const page = fused.slice(offset, offset + limit);
    const hits = loadHits(store, page, queryTerms(query));
    const suggestion = keyword.length === 0 ? await suggestQuery(counter, query, text) : null;
    return { query, hits, more: fused.length > offset + limit, widened: false, suggestion, mode: 'hybrid' };
  }

  /** Papers like the paper `id` (by words, and by vector when there is a model), best first. */
  async function similar(id: string, limit: number): Promise<SearchHit[] | null> {
    const pk = paperKey(store, id);
    if (pk === null) return null;
    const byWords = similarKeys(store, pk, FUSION_DEPTH);
    let keys = byWords;
    if (embedder) {
      const own = paperVector(store, embedder.id, pk);
      if (own) {
        const byVector = nearestKeys(store, embedder.id, own, FUSION_DEPTH + 1).filter((k) => k !== pk);
        if (byVector.length > 0) keys = reciprocalRankFusion([byWords, byVector], RRF_K, [1, weight]);
      }
    }
    return loadHits(store, keys.slice(0, limit), null);
  }

  return { search, similar, embedder, filtersNone: NO_FILTERS };
}
