import { type ServerType, serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import type { Config } from './config.ts';
import type { Store } from './db/connect.ts';
import type { Logger } from './log.ts';
import type { AppDeps } from './web/deps.ts';
import { siteFromConfig } from './web/site.ts';

/** Starts the HTTP server; resolves once it listens. */
export async function startServer(
  store: Store,
  config: Config,
  log: Logger,
  extra: Pick<AppDeps, 'arxiv'> = {},
): Promise<ServerType> {
  const app = createApp({ store, config, log, site: siteFromConfig(config), ...extra });
  return await new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
      log.info(
        { url: `http://${info.address === '127.0.0.1' ? 'localhost' : info.address}:${info.port}` },
        `${config.INSTANCE_NAME} is listening`,
      );
      resolve(server);
    });
    server.once('error', reject);
  });
}
