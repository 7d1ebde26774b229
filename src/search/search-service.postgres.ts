import type { PostgresStore } from '../db/connect.ts';
import { isSearchable, parseQuery } from './query-parse.ts';
import { searchPapersPostgres, similarPapersPostgres } from './search.postgres.ts';
import type { SearchService } from './search.store.ts';
import { NO_FILTERS } from './search.store.ts';
import { postgresCounter } from './suggest.postgres.ts';
import { suggestQuery } from './suggest.store.ts';

/** PostgreSQL: keyword search, spelling suggestions and similar papers by words (search.postgres.ts); no vectors yet. */
export function createPostgresSearchService(store: PostgresStore): SearchService {
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
