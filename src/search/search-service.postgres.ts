import type { PostgresStore } from '../db/connect.ts';
import { postgresHybrid } from './hybrid.postgres.ts';
import { isSearchable, parseQuery } from './query-parse.ts';
import { searchPapersPostgres } from './search.postgres.ts';
import type { SearchService, SearchServiceOptions } from './search.store.ts';
import { NO_FILTERS } from './search.store.ts';
import { postgresCounter } from './suggest.postgres.ts';
import { suggestQuery } from './suggest.store.ts';

/**
 * PostgreSQL: keyword search, spelling suggestions and similar papers by words (search.postgres.ts), fused with
 * vectors when a model is configured (hybrid.postgres.ts).
 */
export function createPostgresSearchService(
  store: PostgresStore,
  options: SearchServiceOptions = { embedder: null },
): SearchService {
  const counter = postgresCounter(store);
  const hybrid = postgresHybrid(store, options);
  return {
    async search(input) {
      const query = parseQuery(input.q);
      if (!isSearchable(query))
        return { query, hits: [], more: false, widened: false, suggestion: null, mode: 'keyword' };
      const fused = await hybrid.search(query, input);
      if (fused) return fused;
      const result = await searchPapersPostgres(store, { query, ...input });
      const suggestion =
        result.hits.length === 0 || result.widened ? await suggestQuery(counter, query, input.q) : null;
      return { query, ...result, suggestion, mode: 'keyword' };
    },
    similar: (id: string, limit: number) => hybrid.similar(id, limit),
    embedder: options.embedder,
    filtersNone: NO_FILTERS,
  };
}
