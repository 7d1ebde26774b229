import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface SeenRequest {
  url: URL;
  headers: IncomingMessage['headers'];
}

export interface LocalServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** 127.0.0.1:PORT, as ARXIV_ALLOWED_HOSTS wants it */
  host: string;
  requests: SeenRequest[];
  /** the most requests ever open at once */
  maxConcurrent: number;
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 standing in for arXiv; the handler can be swapped between steps of a test. */
export async function startLocalServer(initial: Handler): Promise<LocalServer> {
  let handler = initial;
  let open = 0;
  const state: LocalServer = {
    origin: '',
    host: '',
    requests: [],
    maxConcurrent: 0,
    handle(next) {
      handler = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', state.origin);
    state.requests.push({ url, headers: req.headers });
    open++;
    state.maxConcurrent = Math.max(state.maxConcurrent, open);
    let counted = true;
    const done = () => {
      if (counted) open--;
      counted = false;
    };
    res.once('close', done);
    Promise.resolve(handler(req, res, url)).catch((err: Error) => {
      res.destroy(err);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.host = `127.0.0.1:${port}`;
  state.origin = `http://${state.host}`;
  return state;
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/xml; charset=utf-8', ...headers });
  res.end(body);
}
