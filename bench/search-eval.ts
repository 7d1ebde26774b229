/**
 * What the search-quality benchmark shares with the tuning grid: SciFact loaded into a fresh store through the
 * real import writer, the metrics, and the site's ranking as a function. See bench/search-quality.ts.
 *
 * Search quality on BEIR SciFact (../shared/data/scifact_beir): the 5,183 abstracts go into a fresh SQLite store
 * through the real import writer (the one code path that inserts papers and indexes them), and the 300 test
 * claims run through the site's own search code (`searchKeys`). Prints nDCG@10 and Recall@100 per
 * configuration, for all 300 queries and for each half: parameters are tuned on the ODD half (1st, 3rd, … query
 * of queries.test.jsonl) and checked on the EVEN half, which no choice looked at.
 *
 * Usage: npx tsx bench/search-quality.ts [--grid] [--embeddings openai] (see docs/search.md)
 */
import { createReadStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { openStore, type SqliteStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createSqliteImportWriter } from '../src/ingest/import.sqlite.ts';
import { paperFingerprint } from '../src/ingest/kaggle.ts';
import type { PaperRecord } from '../src/papers/paper.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { type Ranking, searchKeys } from '../src/search/search.sqlite.ts';
import { syntheticId } from './generate.ts';
import { OUT, SHARED_DATA } from './shared.ts';

const DIR = join(SHARED_DATA, 'scifact_beir');

export interface Judged {
  queries: { id: string; text: string }[];
  relevant: Map<string, Set<string>>;
}

export async function loadScifact(): Promise<
  { docs: { id: string; title: string; text: string }[] } & Judged
> {
  const docs: { id: string; title: string; text: string }[] = [];
  const lines = createInterface({
    input: createReadStream(join(DIR, 'corpus.jsonl.gz')).pipe(createGunzip()),
  });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { _id: string; title: string; text: string };
    docs.push({ id: r._id, title: r.title, text: r.text });
  }
  const queries = readFileSync(join(DIR, 'queries.test.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { _id: string; text: string })
    .map((q) => ({ id: q._id, text: q.text }));
  const relevant = new Map<string, Set<string>>();
  for (const line of readFileSync(join(DIR, 'qrels/test.tsv'), 'utf8').split('\n').slice(1)) {
    const [q, d, score] = line.split('\t');
    if (!q || !d || Number(score) <= 0) continue;
    if (!relevant.has(q)) relevant.set(q, new Set());
    relevant.get(q)!.add(d);
  }
  return { docs, queries: queries.filter((q) => relevant.has(q.id)), relevant };
}

/** A fresh store with the corpus imported through the real writer; returns it and pk → corpus id. */
export async function scifactStore(docs: { id: string; title: string; text: string }[], file = 'scifact.db') {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, file);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const store = openStore(`sqlite:${path}`);
  await migrateToLatest(store);
  const records: PaperRecord[] = docs.map((d, i) => ({
    id: syntheticId(i),
    version: 1,
    title: d.title,
    authors: [],
    abstract: d.text,
    categories: [],
    publishedAt: '2020-01-01T00:00:00.000Z',
    updatedAt: null,
    comments: null,
    journalRef: null,
    doi: null,
    githubRepo: null,
    projectPage: null,
  }));
  createSqliteImportWriter(store.sqlite).writeArxivBatch(
    records.map((record) => ({ record, fingerprint: paperFingerprint(record) })),
  );
  const corpusId = new Map<number, string>();
  const rows = store.sqlite.prepare('SELECT pk, id FROM papers').all() as { pk: number; id: string }[];
  const byArxiv = new Map(docs.map((d, i) => [syntheticId(i), d.id]));
  for (const r of rows) corpusId.set(r.pk, byArxiv.get(r.id)!);
  return { store, corpusId };
}

/** nDCG@k with binary relevance, and recall@k. */
export function ndcgAt(ranked: string[], relevant: Set<string>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((d, i) => {
    if (relevant.has(d)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

export function recallAt(ranked: string[], relevant: Set<string>, k: number): number {
  const found = ranked.slice(0, k).filter((d) => relevant.has(d)).length;
  return relevant.size > 0 ? found / relevant.size : 0;
}

export interface Scores {
  ndcg10: number;
  recall100: number;
}

export type Half = 'all' | 'odd' | 'even';

/** Mean scores of a ranking function over all queries, the odd half (tuning) and the even half (check). */
export function evaluate(judged: Judged, rank: (text: string) => string[]): Record<Half, Scores> {
  const per = judged.queries.map((q, i) => {
    const ranked = rank(q.text);
    const rel = judged.relevant.get(q.id)!;
    return { odd: i % 2 === 0, ndcg: ndcgAt(ranked, rel, 10), recall: recallAt(ranked, rel, 100) };
  });
  const mean = (xs: typeof per): Scores => ({
    ndcg10: xs.reduce((s, x) => s + x.ndcg, 0) / Math.max(1, xs.length),
    recall100: xs.reduce((s, x) => s + x.recall, 0) / Math.max(1, xs.length),
  });
  return { all: mean(per), odd: mean(per.filter((x) => x.odd)), even: mean(per.filter((x) => !x.odd)) };
}

export const fmt = (s: Record<Half, Scores>) =>
  `${s.all.ndcg10.toFixed(3)} | ${s.odd.ndcg10.toFixed(3)} | ${s.even.ndcg10.toFixed(3)} | ${s.all.recall100.toFixed(3)}`;

export function siteRanker(store: SqliteStore, corpusId: Map<number, string>, ranking: Ranking) {
  return (text: string) => searchKeys(store, parseQuery(text), 100, ranking).map((pk) => corpusId.get(pk)!);
}
