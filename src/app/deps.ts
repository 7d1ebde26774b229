import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import type { ArxivServices } from '../harvest/arxiv-services.ts';
import type { Logger } from '../log.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import { createEmbedder } from '../search/embeddings/index.ts';
import { createSearchService, type SearchService } from '../search/search-service.ts';
import { getOrCreateSecret } from '../settings/settings.store.ts';
import { DatabaseRateLimiter, type Limiter, RateLimiter } from '../web/limits.ts';
import { type Site, siteFromConfig } from '../web/site.ts';

/** What route tables get: the store, the instance, the settings and the logger. */
export interface AppDeps {
  store: Store;
  config: Config;
  site: Site;
  log: Logger;
  /** the instance secret (settings table), for CSRF tokens and signed links */
  secret: Buffer;
  mailer: Mailer;
  /** arXiv lookups ("Add this paper", submitting an unknown paper); absent when ARXIV_LOOKUPS_ENABLED is off */
  arxiv?: Pick<ArxivServices, 'addPapers'>;
  /** limits on login, sign-up, submit, votes, comments and additions */
  limiter: Limiter;
  /** keyword, semantic and hybrid search, suggestions and similar papers */
  search: SearchService;
}

/** Everything the app needs, made from the store and settings (the secret is created on first start). */
export async function createAppDeps(
  store: Store,
  config: Config,
  log: Logger,
  overrides: Partial<AppDeps> = {},
): Promise<AppDeps> {
  return {
    store,
    config,
    log,
    site: siteFromConfig(config),
    secret: await getOrCreateSecret(store.db),
    mailer: createMailer(config, log),
    // several processes (PostgreSQL's app machines, or WEB_PROCESSES on one SQLite file) count in the database
    limiter:
      store.dialect === 'postgres' || config.WEB_PROCESSES > 1
        ? new DatabaseRateLimiter(store.db)
        : new RateLimiter(),
    search: createSearchService(store, {
      // semantic search lives in sqlite-vec; PostgreSQL searches by words (docs/search.md)
      embedder: store.dialect === 'sqlite' ? createEmbedder(config) : null,
      vectorWeight: config.EMBEDDINGS_WEIGHT,
      onError: (err) => log.warn({ err }, 'embedding model failed; searching by words alone'),
    }),
    ...overrides,
  };
}
