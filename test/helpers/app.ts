import { createApp } from '../../src/app/app.tsx';
import { type AppDeps, createAppDeps } from '../../src/app/deps.ts';
import { loadConfig } from '../../src/config.ts';
import type { Store } from '../../src/db/connect.ts';
import { silentLogger } from '../../src/log.ts';

/** The real app over a test store, for `app.request()`; cheap password hashing, mail to the store's outbox. */
export async function createTestApp(
  store: Store & { dir: string },
  env: Record<string, string> = {},
  overrides: Partial<AppDeps> = {},
) {
  const config = loadConfig({
    DATA_DIR: store.dir,
    BASE_URL: 'http://paperboy.test',
    WEB_PROCESSES: '1', // one process in a test: rate limits in memory
    PASSWORD_SCRYPT_LOG_N: '14',
    TRUST_PROXY: 'true',
    ...env,
  });
  const deps = await createAppDeps(store, config, silentLogger, overrides);
  return Object.assign(createApp(deps), { deps });
}
