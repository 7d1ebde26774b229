/** Builds the deps of the whole app (the type is the composition layer's: src/site/deps.ts). */
import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import { byEngine } from '../db/engine.ts';
import type { Logger } from '../log.ts';
import { createMailer } from '../mail/mailer.ts';
import { createEmbedder } from '../search/embeddings/index.ts';
import { createSearchService } from '../search/search-service.ts';
import { getOrCreateSecret } from '../settings/settings.store.ts';
import type { AppDeps } from '../site/deps.ts';
import { DatabaseRateLimiter } from '../web/limits.store.ts';
import { type Limiter, RateLimiter } from '../web/limits.ts';
import { siteFromConfig } from '../web/site.ts';

/** Everything the app needs, made from the store and settings (the secret is created on first start). */
export type { AppDeps };

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
    limiter: byEngine<Limiter>(store, {
      sqlite: (s) => (config.WEB_PROCESSES > 1 ? new DatabaseRateLimiter(s.db) : new RateLimiter()),
      postgres: (s) => new DatabaseRateLimiter(s.db),
    }),
    search: createSearchService(store, {
      // vectors in sqlite-vec on SQLite, in paper_embeddings on PostgreSQL (docs/search.md)
      embedder: createEmbedder(config),
      vectorWeight: config.EMBEDDINGS_WEIGHT,
      onError: (err) => log.warn({ err }, 'embedding model failed; searching by words alone'),
    }),
    ...overrides,
  };
}
