/**
 * Search as pages and the API use it: keyword search, fused with semantic search when an embedding model is
 * configured (hybrid.ts), spelling suggestions when nothing is found, and similar papers. Each engine's service
 * is its own file (search-service.sqlite.ts, search-service.postgres.ts); what they answer is in search.store.ts.
 */
import type { Store } from '../db/connect.ts';
import { byEngine } from '../db/engine.ts';
import type { SearchService, SearchServiceOptions } from './search.store.ts';
import { createPostgresSearchService } from './search-service.postgres.ts';
import { createSqliteSearchService } from './search-service.sqlite.ts';
import { cachedSimilar } from './similar-cache.ts';

export type { SearchInput, SearchOutcome, SearchService, SearchServiceOptions } from './search.store.ts';

/**
 * The search of `store`'s engine, with semantic search on both when an embedder is given (docs/search.md), and
 * similar papers kept until the data changes (similar-cache.ts).
 */
export function createSearchService(store: Store, options: SearchServiceOptions): SearchService {
  const service = byEngine(store, {
    sqlite: (sqlite) => createSqliteSearchService(sqlite, options),
    postgres: (postgres) => createPostgresSearchService(postgres, options),
  });
  return { ...service, similar: cachedSimilar(store, service.similar) };
}
