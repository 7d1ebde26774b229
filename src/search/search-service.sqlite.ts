import type { SqliteStore } from '../db/connect.ts';
import { loadHits } from './hits.sqlite.ts';
import { RRF_K, reciprocalRankFusion } from './hybrid.ts';
import { isSearchable, type ParsedQuery, parseQuery } from './query-parse.ts';
import { queryTerms, searchKeys, searchPapers } from './search.sqlite.ts';
import {
  FUSION_DEPTH,
  NO_FILTERS,
  plainWords,
  type SearchHit,
  type SearchInput,
  type SearchOutcome,
  type SearchService,
  type SearchServiceOptions,
} from './search.store.ts';
import { paperKey, similarKeys } from './similar.sqlite.ts';
import { sqliteCounter } from './suggest.sqlite.ts';
import { suggestQuery } from './suggest.store.ts';
import { nearestKeys, paperVector } from './vectors.sqlite.ts';

/** SQLite: keyword search by FTS5 and BM25F, fused with vectors (sqlite-vec) when a model is configured. */
export function createSqliteSearchService(store: SqliteStore, options: SearchServiceOptions): SearchService {
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
