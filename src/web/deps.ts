import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Limiter } from './limits.ts';
import type { Site } from './site.ts';

/** What every route table gets: the store, the instance, its secret, mail, limits and the logger. */
export interface WebDeps {
  store: Store;
  config: Config;
  site: Site;
  log: Logger;
  /** the instance secret (settings table), for CSRF tokens and signed links */
  secret: Buffer;
  mailer: Mailer;
  /** limits on login, sign-up, submit, votes, comments and additions */
  limiter: Limiter;
}
