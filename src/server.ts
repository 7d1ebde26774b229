import { type ServerType, serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import { startEmbeddingJob } from './search/embed-papers.ts';
import type { AppDeps } from './web/deps.ts';

/** Starts the HTTP server on the app made from `deps` (and, with an embedding model, the vector job). */
export async function startServer(deps: AppDeps): Promise<ServerType> {
  const { config, log, store } = deps;
  const app = createApp(deps);
  // with an embedding model, papers without vectors (new or edited) get them in the background
  const embedder = deps.search.embedder;
  if (embedder && store.dialect === 'sqlite') {
    startEmbeddingJob(store, embedder, log, 10 * 60 * 1000, config.EMBEDDINGS_BATCH_SIZE);
  }
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
