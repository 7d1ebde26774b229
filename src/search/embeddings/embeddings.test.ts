import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers/app.ts';
import { type EmbeddingServer, startEmbeddingServer } from '../../../test/helpers/embedding-server.ts';
import { paperRecord, seedPapers } from '../../../test/helpers/factories.ts';
import { createTestStore, type TestStore } from '../../../test/helpers/store.ts';
import { writeTinyModel } from '../../../test/helpers/tiny-model.ts';
import { embedMissingPapers } from '../embed-papers.ts';
import { parseQuery } from '../query-parse.ts';
import { createSearchService } from '../search-service.ts';
import { countWithoutVectors, nearestKeys, paperVector, vectorState } from '../vectors.sqlite.ts';
import { EmbeddingError } from './embedder.ts';
import { openAiEmbedder } from './openai.ts';
import { transformersEmbedder } from './transformers.ts';

/**
 * The `openai` provider end to end: a real model (USE-lite, offline) behind a local OpenAI-compatible
 * /v1/embeddings server, vectors stored in sqlite-vec, and hybrid search through the app.
 */
let server: EmbeddingServer;
let store: TestStore;

const PAPERS = [
  {
    id: '2501.10001',
    title: 'Dogs and puppies: training pets at home',
    abstract: 'How owners teach their dogs to sit, stay and come when called.',
  },
  {
    id: '2501.10002',
    title: 'Stock markets under inflation',
    abstract: 'Equity prices, interest rates and central bank policy in times of rising prices.',
  },
  {
    id: '2501.10003',
    title: 'Protein folding with deep networks',
    abstract: 'Predicting the three-dimensional structure of proteins from their amino acid sequence.',
  },
  {
    id: '2501.10004',
    title: 'Electric cars and battery range',
    abstract: 'Lithium batteries limit how far an electric vehicle can drive on one charge.',
  },
  {
    id: '2501.10005',
    title: 'Soccer tactics in the modern game',
    abstract: 'Pressing, formations and passing patterns of football teams.',
  },
];

beforeAll(async () => {
  server = await startEmbeddingServer();
  store = await createTestStore();
  await seedPapers(
    store,
    PAPERS.map((p) => paperRecord(p)),
  );
}, 60_000);
afterAll(async () => {
  await store.dispose();
  await server.close();
});

const embedder = () => openAiEmbedder({ baseUrl: server.baseUrl, model: 'use-lite', apiKey: 'sk-local' });
const pkOf = (id: string) =>
  store.sqlite.prepare('SELECT pk FROM papers WHERE id = ?').pluck().get(id) as number;

describe('openai provider against a local /v1/embeddings server (USE-lite)', () => {
  it('embeds every paper once, in batches, into sqlite-vec, sending the key as a bearer token', async () => {
    const e = embedder();
    const progress: number[] = [];
    const result = await embedMissingPapers(store, e, {
      batchSize: 2,
      onProgress: (p) => progress.push(p.done),
    });
    expect(result).toEqual({ done: 5, total: 5 });
    expect(progress).toEqual([0, 2, 4, 5]);
    expect(server.lastAuthorization).toBe('Bearer sk-local');
    expect(vectorState(store)).toEqual({ model: 'openai:use-lite', dimensions: 512 });
    expect(countWithoutVectors(store, e.id)).toBe(0);
    const vector = paperVector(store, e.id, pkOf('2501.10001'))!;
    expect(vector).toHaveLength(512);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 4);
    // a second run has nothing to do
    expect((await embedMissingPapers(store, e)).done).toBe(0);
  });

  it('finds papers by meaning: nearest vectors for words no paper contains', async () => {
    const e = embedder();
    const [query] = await e.embed(['canine obedience'], 'query');
    expect(nearestKeys(store, e.id, query!, 2)[0]).toBe(pkOf('2501.10001'));
    const [money] = await e.embed(['finance and the economy'], 'query');
    expect(nearestKeys(store, e.id, money!, 1)).toEqual([pkOf('2501.10002')]);
  });

  it('fuses words and vectors in the app: hybrid results, highlighted, through the page and the API', async () => {
    const app = await createTestApp(
      store,
      {},
      {
        search: createSearchService(store, { embedder: embedder() }),
      },
    );
    const res = await app.request('/api/papers/search?q=puppies%20obedience&limit=3');
    expect(res.status).toBe(200);
    const items = (await res.json()) as { paper: { id: string }; highlightedTitle: string }[];
    expect(items[0]!.paper.id).toBe('2501.10001');
    expect(items[0]!.highlightedTitle).toContain('<mark>puppies</mark>');
    // "automobile" is in no paper: keyword search alone finds nothing, the vectors find the car paper
    const html = await (await app.request('/papers?q=automobile')).text();
    expect(html).toContain('Electric cars and battery range');
    expect(html).toContain('by meaning');
    const similar = (await (await app.request('/api/papers/2501.10004/similar?limit=2')).json()) as {
      paper: { id: string };
    }[];
    expect(similar.map((s) => s.paper.id)).not.toContain('2501.10004');
  });

  it('re-embeds a paper whose text changed, and leaves hidden papers out', async () => {
    const e = embedder();
    store.sqlite.prepare("UPDATE papers SET abstract = 'Cats, not dogs.' WHERE id = ?").run('2501.10001');
    expect(countWithoutVectors(store, e.id)).toBe(1);
    expect((await embedMissingPapers(store, e)).done).toBe(1);
    store.sqlite.prepare("UPDATE papers SET hidden_at = '2026-01-01' WHERE id = ?").run('2501.10002');
    const [money] = await e.embed(['finance and the economy'], 'query');
    expect(nearestKeys(store, e.id, money!, 5)).not.toContain(pkOf('2501.10002'));
    store.sqlite.prepare('UPDATE papers SET hidden_at = NULL WHERE id = ?').run('2501.10002');
  });

  it('searches by words alone when the model server fails, and reports the failure', async () => {
    const errors: unknown[] = [];
    const service = createSearchService(store, { embedder: embedder(), onError: (err) => errors.push(err) });
    server.failWith = 503;
    try {
      const outcome = await service.search({
        q: 'soccer',
        filters: { category: null, featuredOnly: false, after: null, before: null },
        sort: 'relevance',
        offset: 0,
        limit: 5,
      });
      expect(outcome.mode).toBe('keyword');
      expect(outcome.hits[0]!.paper.id).toBe('2501.10005');
      expect(errors[0]).toBeInstanceOf(EmbeddingError);
      await expect(
        embedMissingPapers(store, openAiEmbedder({ baseUrl: server.baseUrl, model: 'other' })),
      ).rejects.toThrow(/answered 503/);
    } finally {
      server.failWith = null;
    }
  });

  it('keeps one model at a time: vectors of another model replace the table', async () => {
    const other = openAiEmbedder({ baseUrl: server.baseUrl, model: 'use-lite-2' });
    expect(countWithoutVectors(store, other.id)).toBe(5);
    await embedMissingPapers(store, other);
    expect(vectorState(store)?.model).toBe('openai:use-lite-2');
    const [q] = await other.embed(['canine obedience'], 'query');
    expect(nearestKeys(store, 'openai:use-lite', q!, 1)).toEqual([]);
    expect(nearestKeys(store, other.id, q!, 5)).toHaveLength(5);
    expect(parseQuery('x').words).toEqual(['x']);
  });
});

describe('transformers provider with a real local model folder (ONNX Runtime, offline)', () => {
  it('embeds through @huggingface/transformers from a folder, with downloads off', async () => {
    const folder = writeTinyModel(store.dir);
    const e = transformersEmbedder({
      model: folder,
      cacheDir: join(store.dir, 'models'),
      allowDownload: true,
    });
    expect(e.id).toBe('transformers:tiny-word-average');
    const [dogs, money, cars] = await e.embed(
      ['Dogs and puppies', 'stock market inflation', 'electric cars'],
      'document',
    );
    expect(dogs).toHaveLength(4);
    expect(Math.hypot(...dogs!)).toBeCloseTo(1, 5);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    const [pets] = await e.embed(['canine pet training'], 'query');
    expect(cos(pets!, dogs!)).toBeGreaterThan(0.9);
    expect(cos(pets!, money!)).toBeLessThan(0.5);
    expect(cos(pets!, cars!)).toBeLessThan(0.5);
  }, 60_000);

  it('stores its vectors in sqlite-vec and finds papers by meaning in the app', async () => {
    const own = await createTestStore();
    try {
      await seedPapers(
        own,
        PAPERS.map((p) => paperRecord(p)),
      );
      const e = transformersEmbedder({
        model: writeTinyModel(own.dir),
        cacheDir: own.dir,
        allowDownload: false,
      });
      expect((await embedMissingPapers(own, e)).done).toBe(5);
      expect(vectorState(own)).toEqual({ model: 'transformers:tiny-word-average', dimensions: 4 });
      const app = await createTestApp(own, {}, { search: createSearchService(own, { embedder: e }) });
      // "vehicle" is in no paper's text: the vectors find the car paper
      const items = (await (await app.request('/api/papers/search?q=vehicle&limit=1')).json()) as {
        paper: { id: string };
      }[];
      expect(items.map((i) => i.paper.id)).toEqual(['2501.10004']);
    } finally {
      await own.dispose();
    }
  }, 60_000);

  it('says how to install the optional package when it is missing', async () => {
    const e = transformersEmbedder({
      model: 'Xenova/all-MiniLM-L6-v2',
      cacheDir: '/tmp',
      allowDownload: false,
      load: () => import('@huggingface/transformers-not-installed' as string),
    });
    expect(e.id).toBe('transformers:Xenova/all-MiniLM-L6-v2');
    await expect(e.embed(['x'], 'query')).rejects.toThrow(/npm install .*@huggingface\/transformers/);
  });
});
