import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import type { Site } from './site.ts';

/** What route tables get: the store, the instance, the settings and the logger. */
export interface AppDeps {
  store: Store;
  config: Config;
  site: Site;
  log: Logger;
}
