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
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type SqliteStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createSqliteImportWriter } from '../src/ingest/import.sqlite.ts';
import { paperFingerprint } from '../src/ingest/kaggle.ts';
import type { PaperRecord } from '../src/papers/paper.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { type Ranking, searchKeys } from '../src/search/search.sqlite.ts';
import { type Judged, ndcgAt, readScifact } from '../test/helpers/scifact.ts';
import { syntheticId } from './generate.ts';
import { OUT, removeSqliteFiles, SHARED_DATA } from './shared.ts';

const DIR = join(SHARED_DATA, 'scifact_beir');

export type { Judged };

export const loadScifact = () => readScifact(DIR);

/** A fresh store with the corpus imported through the real writer; returns it and pk → corpus id. */
export async function scifactStore(docs: { id: string; title: string; text: string }[], file = 'scifact.db') {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, file);
  removeSqliteFiles(path);
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

export { ndcgAt };

/** recall@k. */
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
