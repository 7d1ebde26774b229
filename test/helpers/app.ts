import { createApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { siteFromConfig } from '../../src/web/site.ts';
import type { TestStore } from './store.ts';

/** The real app over a test store, for `app.request()`. */
export function createTestApp(store: TestStore, env: Record<string, string> = {}) {
  const config = loadConfig({ DATA_DIR: store.dir, BASE_URL: 'http://paperboy.test', ...env });
  return createApp({ store, config, log: silentLogger, site: siteFromConfig(config) });
}
