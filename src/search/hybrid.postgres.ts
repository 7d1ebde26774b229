/**
 * Semantic and hybrid search on PostgreSQL, as SQLite does it (search-service.sqlite.ts): a query of plain words
 * sorted by relevance is embedded, its FUSION_DEPTH nearest papers (vectors.store.ts) are fused with the
 * FUSION_DEPTH best keyword results by reciprocal rank fusion (same k, same weights), and the page of the fused
 * list is marked in TypeScript (highlight.ts), as SQLite's is; similar papers fuse the words of the paper's
 * title with its vector's neighbours. When the model fails or no paper has a vector, null: words alone answer.
 */
import type { PostgresStore } from '../db/connect.ts';
import { loadHitsPostgres } from './hits.postgres.ts';
import { RRF_K, reciprocalRankFusion } from './hybrid.ts';
import type { ParsedQuery } from './query-parse.ts';
import { queryTerms } from './query-terms.ts';
import { searchKeysPostgres, similarKeysPostgres, similarPapersPostgres } from './search.postgres.ts';
import {
  FUSION_DEPTH,
  NO_FILTERS,
  plainWords,
  type SearchHit,
  type SearchInput,
  type SearchOutcome,
  type SearchServiceOptions,
} from './search.store.ts';
import { postgresCounter } from './suggest.postgres.ts';
import { suggestQuery } from './suggest.store.ts';
import { paperVectorsOf } from './vectors.store.ts';

export interface PostgresHybrid {
  /** the fused answer, or null when words alone must answer (no model, not plain words, model down, no vectors) */
  search(query: ParsedQuery, input: SearchInput): Promise<SearchOutcome | null>;
  /** papers like `id` by words and vector; null when there is no such paper */
  similar(id: string, limit: number): Promise<SearchHit[] | null>;
}

export function postgresHybrid(store: PostgresStore, options: SearchServiceOptions): PostgresHybrid {
  const embedder = options.embedder;
  const weight = options.vectorWeight ?? 1;
  const counter = postgresCounter(store);
  const vectors = paperVectorsOf(store);

  /** The keyword side: the best FUSION_DEPTH papers by PostgreSQL's own ranking (search.postgres.ts). */
  async function keywordKeys(query: ParsedQuery): Promise<number[]> {
    // keys only: the fused page is loaded and marked once, after the fusion
    const { keys } = await searchKeysPostgres(store, {
      query,
      filters: NO_FILTERS,
      sort: 'relevance',
      offset: 0,
      limit: FUSION_DEPTH,
    });
    return keys.slice(0, FUSION_DEPTH);
  }

  async function search(query: ParsedQuery, input: SearchInput): Promise<SearchOutcome | null> {
    if (!embedder || input.sort !== 'relevance' || !plainWords(query, input.filters)) return null;
    let semantic: number[];
    try {
      const [vector] = await embedder.embed([input.q], 'query');
      semantic = vector ? await vectors.nearest(embedder.id, vector, FUSION_DEPTH) : [];
    } catch (err) {
      // the model's server is down or slow, or answered a vector of another width: words alone still answer
      options.onError?.(err);
      return null;
    }
    if (semantic.length === 0) return null;
    const keyword = await keywordKeys(query);
    const fused = reciprocalRankFusion([keyword, semantic], RRF_K, [1, weight]);
    const page = fused.slice(input.offset, input.offset + input.limit);
    const hits = await loadHitsPostgres(store, page, queryTerms(query));
    const suggestion = keyword.length === 0 ? await suggestQuery(counter, query, input.q) : null;
    return {
      query,
      hits,
      more: fused.length > input.offset + input.limit,
      widened: false,
      suggestion,
      mode: 'hybrid',
    };
  }

  async function similar(id: string, limit: number): Promise<SearchHit[] | null> {
    if (!embedder) return similarPapersPostgres(store, id, limit);
    const byWordsKeys = await similarKeysPostgres(store, id, FUSION_DEPTH);
    if (byWordsKeys === null) return null;
    const { pk, keys: byWords } = byWordsKeys;
    let keys = byWords;
    try {
      const own = await vectors.vectorOf(embedder.id, pk);
      if (own) {
        const byVector = (await vectors.nearest(embedder.id, own, FUSION_DEPTH + 1)).filter((k) => k !== pk);
        if (byVector.length > 0) keys = reciprocalRankFusion([byWords, byVector], RRF_K, [1, weight]);
      }
    } catch (err) {
      options.onError?.(err);
    }
    return loadHitsPostgres(store, keys.slice(0, limit), null);
  }

  return { search, similar };
}
