/**
 * Semantic and hybrid search on whichever store runs the suite (vitest.config.ts: ON_BOTH_STORES): sqlite-vec on
 * SQLite, paper_embeddings and the in-memory index on PostgreSQL. A real model (USE-lite, offline) behind a local
 * OpenAI-compatible server, through the real `openai` provider. The expected orders are the same constants on
 * both engines: that is the check that both answer alike.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddingServer, startEmbeddingServer } from '../../bench/peers/embedding-server.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { childEnv, ROOT } from '../../test/helpers/cli.ts';
import { paperRecord, seedPapers } from '../../test/helpers/factories.ts';
import {
  createStoreUnderTest,
  row,
  type StoreUnderTest,
  sql,
  TEST_ENGINE,
} from '../../test/helpers/store-under-test.ts';
import { embedMissingPapers } from './embed-papers.ts';
import type { Embedder } from './embeddings/embedder.ts';
import { openAiEmbedder } from './embeddings/openai.ts';
import { NO_FILTERS } from './search.store.ts';
import { createSearchService, type SearchService } from './search-service.ts';
import { paperVectorsOf, VectorQueryError } from './vectors.store.ts';

const PAPERS = [
  [
    '2501.20001',
    'Dogs and puppies: training pets at home',
    'How owners teach their dogs to sit, stay and come.',
  ],
  ['2501.20002', 'Stock markets under inflation', 'Equity prices, interest rates and central bank policy.'],
  ['2501.20003', 'Protein folding with deep networks', 'Predicting the structure of proteins from sequence.'],
  [
    '2501.20004',
    'Electric cars and battery range',
    'Lithium batteries limit how far an electric vehicle drives.',
  ],
  [
    '2501.20005',
    'Soccer tactics in the modern game',
    'Pressing, formations and passing patterns of football teams.',
  ],
  ['2501.20006', 'Cats as companions', 'Why people keep cats, and how cats choose their owners.'],
  [
    '2501.20007',
    'Monetary policy and bond yields',
    'Central banks move interest rates; bond markets answer.',
  ],
];

let server: EmbeddingServer;
let store: StoreUnderTest;
let embedder: Embedder;
let service: SearchService;

beforeAll(async () => {
  server = await startEmbeddingServer();
  store = await createStoreUnderTest();
  embedder = openAiEmbedder({ baseUrl: server.baseUrl, model: 'use-lite' });
  service = createSearchService(store, { embedder });
  await seedPapers(
    store,
    PAPERS.map(([id, title, abstract]) => paperRecord({ id, title, abstract })),
  );
}, 60_000);
afterAll(async () => {
  await store?.dispose();
  await server?.close();
});

const pkOf = async (id: string) =>
  Number((await row(store, sql<{ pk: number }>`SELECT pk FROM papers WHERE id = ${id}`))?.pk);
const idsOf = async (pks: number[]) => {
  const ids: string[] = [];
  for (const pk of pks)
    ids.push(String((await row(store, sql<{ id: string }>`SELECT id FROM papers WHERE pk = ${pk}`))?.id));
  return ids;
};
const nearestIds = async (text: string, k: number) => {
  const [vector] = await embedder.embed([text], 'query');
  return idsOf(await paperVectorsOf(store).nearest(embedder.id, vector!, k));
};
const search = (q: string, limit = 3) =>
  service.search({ q, filters: NO_FILTERS, sort: 'relevance', offset: 0, limit });

describe('vectors on both engines', () => {
  it('embeds every paper once, with the model and width tracked', async () => {
    expect(await embedMissingPapers(store, embedder, { batchSize: 3 })).toEqual({ done: 7, total: 7 });
    const vectors = paperVectorsOf(store);
    expect(await vectors.state()).toEqual({ model: 'openai:use-lite', dimensions: 512 });
    expect(await vectors.countMissing(embedder.id)).toBe(0);
    const own = await vectors.vectorOf(embedder.id, await pkOf('2501.20001'));
    expect(own).toHaveLength(512);
    expect(Math.hypot(...own!)).toBeCloseTo(1, 4);
    expect((await embedMissingPapers(store, embedder)).done).toBe(0);
  }, 30_000);

  it('answers semantic search alike: the same nearest papers in the same order', async () => {
    expect(await nearestIds('canine obedience', 3)).toEqual(['2501.20001', '2501.20006', '2501.20005']);
    expect((await nearestIds('finance and the economy', 2)).sort()).toEqual(['2501.20002', '2501.20007']);
    expect(await nearestIds('automobile', 1)).toEqual(['2501.20004']);
    // vectors of another model are never compared
    const [q] = await embedder.embed(['canine obedience'], 'query');
    expect(await paperVectorsOf(store).nearest('openai:other', q!, 3)).toEqual([]);
  });

  it('answers hybrid search alike: fused words and vectors, marked as SQLite marks them', async () => {
    const dogs = await search('puppies obedience');
    expect(dogs.mode).toBe('hybrid');
    // only the first has the words; the vectors bring the rest, in the same order on both engines
    expect(dogs.hits.map((h) => h.paper.id)).toEqual(['2501.20001', '2501.20006', '2501.20003']);
    expect(dogs.hits[0]!.highlightedTitle).toContain('puppies');
    expect(dogs.hits[0]!.highlightedTitle).not.toBe(dogs.hits[0]!.paper.title);
    // a word in no paper: the vectors alone find the car paper
    const cars = await search('automobile', 1);
    expect(cars.mode).toBe('hybrid');
    expect(cars.hits.map((h) => h.paper.id)).toEqual(['2501.20004']);
    const similar = await service.similar('2501.20002', 2);
    expect(similar?.map((h) => h.paper.id)).toContain('2501.20007');
    expect(similar?.map((h) => h.paper.id)).not.toContain('2501.20002');
  });

  it('through the app: the API and the page', async () => {
    const app = await createTestApp(store, {}, { search: service });
    const items = (await (await app.request('/api/papers/search?q=automobile&limit=1')).json()) as {
      paper: { id: string };
    }[];
    expect(items.map((i) => i.paper.id)).toEqual(['2501.20004']);
    expect(await (await app.request('/papers?q=automobile')).text()).toContain('by meaning');
  });

  it('never answers hidden papers, by vector, fused or similar', async () => {
    await sql`UPDATE papers SET hidden_at = '2026-01-01T00:00:00.000Z' WHERE id = '2501.20007'`.execute(
      store.db,
    );
    try {
      expect(await nearestIds('finance and the economy', 7)).not.toContain('2501.20007');
      const money = await search('interest rates central banks', 7);
      expect(money.hits.map((h) => h.paper.id)).not.toContain('2501.20007');
      expect((await service.similar('2501.20002', 7))?.map((h) => h.paper.id)).not.toContain('2501.20007');
    } finally {
      await sql`UPDATE papers SET hidden_at = NULL WHERE id = '2501.20007'`.execute(store.db);
    }
  });

  it('keeps the index current: a new paper is found once embedded, an edited one by its new text', async () => {
    expect(await nearestIds('quantum qubits', 1)).not.toEqual(['2501.20008']);
    await seedPapers(store, [
      paperRecord({
        id: '2501.20008',
        title: 'Superconducting qubits for quantum computers',
        abstract: 'Error correction on a quantum processor.',
      }),
    ]);
    expect((await embedMissingPapers(store, embedder)).done).toBe(1);
    expect(await nearestIds('quantum qubits', 1)).toEqual(['2501.20008']);
    expect((await search('quantum computing', 1)).hits.map((h) => h.paper.id)).toEqual(['2501.20008']);
    // its text changes: it needs a vector again (SQLite keeps answering the old one until then, PostgreSQL
    // forgets it at once: docs/search.md), and is found by its new text after the next run
    await sql`UPDATE papers SET title = 'Soccer goalkeepers', abstract = 'Saving penalties in football.'
      WHERE id = '2501.20008'`.execute(store.db);
    expect(await paperVectorsOf(store).countMissing(embedder.id)).toBe(1);
    expect((await embedMissingPapers(store, embedder)).done).toBe(1);
    expect((await nearestIds('football goalkeeper', 2)).sort()).toEqual(['2501.20005', '2501.20008']);
  }, 30_000);

  it('says what is wrong with a malformed vector, and searches by words when the model answers one', async () => {
    const vectors = paperVectorsOf(store);
    await expect(vectors.nearest(embedder.id, new Float32Array(3).fill(1), 5)).rejects.toThrow(
      /3 dimensions, but the stored vectors have 512/,
    );
    await expect(vectors.nearest(embedder.id, new Float32Array(0), 5)).rejects.toThrow(VectorQueryError);
    const bad = new Float32Array(512).fill(0.1);
    bad[7] = Number.NaN;
    await expect(vectors.nearest(embedder.id, bad, 5)).rejects.toThrow(/non-finite/);
    await expect(vectors.nearest(embedder.id, new Float32Array(512).fill(0.1), -1)).rejects.toThrow(/k must/);
    await expect(
      vectors.store(embedder.id, [
        { pk: 1, vector: new Float32Array(512).fill(0.1) },
        { pk: 2, vector: new Float32Array(4).fill(0.1) },
      ]),
    ).rejects.toThrow(VectorQueryError);
    // an empty or unsearchable query: no hits, no error
    expect(await search('')).toMatchObject({ hits: [], mode: 'keyword' });
    expect(await search('   "" -')).toMatchObject({ hits: [], mode: 'keyword' });
    // a model that answers vectors of another width: words alone answer
    const narrow: Embedder = {
      id: embedder.id,
      embed: async (texts) => texts.map(() => new Float32Array(3)),
    };
    const words = createSearchService(store, { embedder: narrow, onError: () => {} });
    const protein = await words.search({
      q: 'protein',
      filters: NO_FILTERS,
      sort: 'relevance',
      offset: 0,
      limit: 3,
    });
    expect(protein.mode).toBe('keyword');
    expect(protein.hits[0]!.paper.id).toBe('2501.20003');
  });
});

/** The store's URL, for a child process (another process, as a second machine would be). */
function databaseUrl(): string {
  if (TEST_ENGINE === 'sqlite') return `sqlite:${join(store.dir, 'paperboy.db')}`;
  const url = new URL(process.env.PAPERBOY_TEST_PG_URL!);
  url.pathname = `/${store.location.split('/').pop()}`;
  return url.toString();
}

function paperboy(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/paperboy.js'), ...args], {
      cwd: store.dir,
      env: childEnv(env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('paperboy reindex --embeddings', () => {
  it('embeds every paper again on either engine, and this process finds them after', async () => {
    const run = await paperboy(['reindex', '--embeddings', '--all'], {
      DATABASE_URL: databaseUrl(),
      DATA_DIR: store.dir,
      EMBEDDINGS_PROVIDER: 'openai',
      EMBEDDINGS_MODEL: 'use-lite',
      EMBEDDINGS_BASE_URL: server.baseUrl,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Embedded 8 papers with openai:use-lite');
    expect(await paperVectorsOf(store).countMissing(embedder.id)).toBe(0);
    expect(await nearestIds('automobile', 1)).toEqual(['2501.20004']);
  }, 60_000);
});
