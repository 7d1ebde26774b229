/**
 * Hybrid search latency on SQLite (sqlite-vec) and PostgreSQL (paper_embeddings, the in-memory index), at a
 * modest size: N synthetic papers (bench/generate.ts) imported by `paperboy import`, each given a random unit
 * vector (384 dimensions, seeded: the model is not what is measured), then 300 queries of 1–3 title words through
 * the search service, sorted by relevance: the query is "embedded" by a seeded random vector too, its 100 nearest
 * papers fused with the 100 best by words, and the page of 20 loaded. Prints p50/p99 of the whole search and of
 * the nearest-neighbour step alone, and on PostgreSQL the first search (the index built from the table).
 * PostgreSQL: a cluster of its own (PAPERBOY_PG_PORT=54330 scripts/pg-cluster.sh start), or PAPERBOY_BENCH_PG_URL.
 *
 * Usage: npx tsx bench/search-hybrid.ts --engine sqlite|postgres|both [--papers 100000] [--dimensions 384]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openAnyStore, type Store } from '../src/db/connect.ts';
import type { Embedder } from '../src/search/embeddings/embedder.ts';
import { normalize } from '../src/search/embeddings/embedder.ts';
import { NO_FILTERS } from '../src/search/search.store.ts';
import { createSearchService } from '../src/search/search-service.ts';
import { isStopWord } from '../src/search/stop-words.ts';
import { paperVectorsOf } from '../src/search/vectors.store.ts';
import { generatePapers, loadRealRecords } from './generate.ts';
import { cleanEnv, machine, OUT, ROOT } from './shared.ts';

const arg = (name: string, fallback: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : fallback;
const PAPERS = Number(arg('--papers', '100000'));
const DIMENSIONS = Number(arg('--dimensions', '384'));
const ENGINE = arg('--engine', 'both');
const QUERIES = 300;

/** A seeded random unit vector per text (a hash of the text seeds it): the same vector for the same text. */
function randomVector(seedText: string): Float32Array {
  let seed = 2166136261;
  for (let i = 0; i < seedText.length; i++) seed = Math.imul(seed ^ seedText.charCodeAt(i), 16777619) >>> 0;
  const v = new Float32Array(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    v[i] = seed / 2 ** 32 - 0.5;
  }
  return normalize(v);
}

const embedder: Embedder = {
  id: `bench:random-${DIMENSIONS}`,
  embed: async (texts) => texts.map(randomVector),
};

async function queries(): Promise<string[]> {
  const records = await loadRealRecords();
  let seed = 11;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const out = new Set<string>();
  while (out.size < QUERIES) {
    const title = String(records[Math.floor(random() * records.length)]!.title ?? '');
    const words = (title.toLowerCase().match(/[a-z][a-z0-9-]{2,}/g) ?? []).filter((w) => !isStopWord(w));
    if (words.length === 0) continue;
    const n = 1 + Math.floor(random() * 3);
    const start = Math.floor(random() * Math.max(1, words.length - n + 1));
    out.add(words.slice(start, start + n).join(' '));
  }
  return [...out];
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function fill(url: string, file: string): Promise<Store> {
  const r = spawnSync(process.execPath, ['bin/paperboy.js', 'import', file], {
    cwd: ROOT,
    env: cleanEnv({ DATABASE_URL: url, DATA_DIR: OUT }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  const store = await openAnyStore(url);
  const vectors = paperVectorsOf(store);
  const started = performance.now();
  let after = 0;
  for (;;) {
    const papers = await vectors.missing(embedder.id, after, 1000);
    if (papers.length === 0) break;
    await vectors.store(
      embedder.id,
      papers.map((p) => ({ pk: p.pk, vector: randomVector(`paper ${p.pk}`) })),
    );
    after = papers.at(-1)!.pk;
  }
  process.stderr.write(`${url.split(':')[0]}: vectors stored in ${ms(performance.now() - started)}\n`);
  return store;
}

async function measure(engine: string, store: Store, texts: string[]): Promise<string[]> {
  const service = createSearchService(store, { embedder });
  const vectors = paperVectorsOf(store);
  const search = (q: string) =>
    service.search({ q, filters: NO_FILTERS, sort: 'relevance', offset: 0, limit: 20 });
  let started = performance.now();
  const first = await search(texts[0]!);
  const firstMs = performance.now() - started;
  if (first.mode !== 'hybrid') throw new Error(`not a hybrid search: ${first.mode}`);
  for (const q of texts.slice(0, 20)) await search(q); // warm-up
  const whole: number[] = [];
  const knn: number[] = [];
  for (const q of texts) {
    started = performance.now();
    await search(q);
    whole.push(performance.now() - started);
    started = performance.now();
    await vectors.nearest(embedder.id, randomVector(q), 100);
    knn.push(performance.now() - started);
  }
  whole.sort((a, b) => a - b);
  knn.sort((a, b) => a - b);
  return [
    `| ${engine} | ${PAPERS} × ${DIMENSIONS} | ${ms(firstMs)} | ${ms(percentile(whole, 50))} | ${ms(percentile(whole, 99))} | ${ms(percentile(knn, 50))} | ${ms(percentile(knn, 99))} |`,
  ];
}

const file = join(OUT, `hybrid-papers-${PAPERS}.jsonl`);
if (!existsSync(file)) await generatePapers(PAPERS, file);
const texts = await queries();
const lines: string[] = [];
if (ENGINE === 'sqlite' || ENGINE === 'both') {
  const db = join(OUT, `hybrid-${PAPERS}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  const store = await fill(`sqlite:${db}`, file);
  lines.push(...(await measure('sqlite (sqlite-vec)', store, texts)));
  await store.close();
}
if (ENGINE === 'postgres' || ENGINE === 'both') {
  const admin =
    process.env.PAPERBOY_BENCH_PG_URL ??
    execFileSync(join(ROOT, 'scripts/pg-cluster.sh'), ['start'], {
      encoding: 'utf8',
      env: { ...process.env, PAPERBOY_PG_PORT: process.env.PAPERBOY_PG_PORT ?? '54330' },
    }).trim();
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query('DROP DATABASE IF EXISTS paperboy_bench_hybrid WITH (FORCE)');
  await client.query('CREATE DATABASE paperboy_bench_hybrid');
  await client.end();
  const url = new URL(admin);
  url.pathname = '/paperboy_bench_hybrid';
  const store = await fill(url.toString(), file);
  lines.push(...(await measure('postgres (in-memory index)', store, texts)));
  await store.close();
}
console.log(
  `\nHybrid search in process (${QUERIES} queries, page of 20, 100 + 100 fused), ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`,
);
console.log(
  '| engine | vectors | first search | search p50 | search p99 | nearest 100 p50 | nearest 100 p99 |',
);
console.log('|---|---|---|---|---|---|---|');
for (const line of lines) console.log(line);
