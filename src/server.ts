import { type ServerType, serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import type { AppDeps } from './web/deps.ts';

/** Starts the HTTP server on the app made from `deps`; resolves once it listens. */
export async function startServer(deps: AppDeps): Promise<ServerType> {
  const { config, log } = deps;
  const app = createApp(deps);
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
