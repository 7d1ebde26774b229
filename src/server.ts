import { type ServerType, serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import type { Config } from './config.ts';
import type { Store } from './db/connect.ts';
import type { Logger } from './log.ts';
import { startEmbeddingJob } from './search/embed-papers.ts';
import { createAppDeps } from './web/deps.ts';

/** Starts the HTTP server; resolves once it listens. */
export async function startServer(store: Store, config: Config, log: Logger): Promise<ServerType> {
  const deps = await createAppDeps(store, config, log);
  const app = createApp(deps);
  // with an embedding model, papers without vectors (new or edited) get them in the background
  const embedder = deps.search.embedder;
  if (embedder) startEmbeddingJob(store, embedder, log, 10 * 60 * 1000, config.EMBEDDINGS_BATCH_SIZE);
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
