import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type ServerType } from '@hono/node-server';
import { createApp } from './app.tsx';
import type { AppDeps } from './deps.ts';

/** Connections the kernel may queue before the server accepts them (Linux caps it at net.core.somaxconn). */
const LISTEN_BACKLOG = 4096;

/** The HTTP server, with a way to stop that lets the requests in flight finish. */
export interface PaperboyServer {
  server: ServerType;
  /**
   * Stops accepting connections and resolves once no request is being handled (at most `timeoutMs`): a client
   * that hangs up does not cut short the work its request started, so the store may close after this.
   */
  drain(timeoutMs: number): Promise<void>;
}

/** Starts the HTTP server on the app made from `deps`. */
export async function startServer(deps: AppDeps): Promise<PaperboyServer> {
  const { config, log } = deps;
  const app = createApp(deps);
  return await new Promise((resolve, reject) => {
    let active = 0;
    const server = createAdaptorServer({
      fetch: async (request, env) => {
        active++;
        try {
          return await app.fetch(request, env);
        } finally {
          active--;
        }
      },
    });
    const drain = async (timeoutMs: number) => {
      server.close();
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      const deadline = Date.now() + timeoutMs;
      while (active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if ('closeAllConnections' in server) server.closeAllConnections();
    };
    server.once('error', reject);
    // a deep accept queue for bursts of new connections while the thread is busy (Node's default is 511; a
    // full queue drops SYNs, which clients resend only 1, 3, 7… s later)
    server.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG }, () => {
      const info = server.address() as AddressInfo;
      log.info(
        { url: `http://${info.address === '127.0.0.1' ? 'localhost' : info.address}:${info.port}` },
        `${config.INSTANCE_NAME} is listening`,
      );
      resolve({ server, drain });
    });
  });
}
