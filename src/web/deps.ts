import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import type { ArxivServices } from '../harvest/arxiv-services.ts';
import type { Logger } from '../log.ts';
import type { Site } from './site.ts';

/** What route tables get: the store, the instance, the settings and the logger. */
export interface AppDeps {
  store: Store;
  config: Config;
  site: Site;
  log: Logger;
  /** arXiv lookups ("Add this paper"); absent when ARXIV_LOOKUPS_ENABLED is off, and in most tests */
  arxiv?: Pick<ArxivServices, 'addPapers'>;
}
