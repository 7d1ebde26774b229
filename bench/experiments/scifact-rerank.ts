/**
 * What the SciFact re-ranking experiments (search-wordvec.ts, search-proximity.ts) share: the SciFact store, kept
 * in bench/out/scifact-wordvec.db and reused; the site's top 100 per claim with their BM25F scores, recomputed
 * as search.store.ts `rerank` computes them; every abstract's content tokens; and the held-out half's paired
 * comparison with a bootstrap interval.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type SqliteStore } from '../../src/db/connect.ts';
import { bm25fScore, DEFAULT_BM25F, FIELDS, termIdfs } from '../../src/search/bm25f.ts';
import type { FtsColumn } from '../../src/search/fts5.sqlite.ts';
import { parseQuery } from '../../src/search/query-parse.ts';
import { queryTerms, searchKeys } from '../../src/search/search.sqlite.ts';
import { corpusStats, docLengths } from '../../src/search/stats.sqlite.ts';
import { termFrequencies, termMatcher } from '../../src/search/tokens.ts';
import { syntheticId } from '../generate.ts';
import { type Judged, ndcgAt, scifactStore } from '../search-eval.ts';
import { OUT } from '../shared.ts';
import { contentTokens, prng } from './word-vectors.ts';

type Docs = { id: string; title: string; text: string }[];

/** The SciFact store of these experiments, imported once and then reused, with its keys' corpus ids. */
export async function openScifact(docs: Docs) {
  const path = join(OUT, 'scifact-wordvec.db');
  if (!existsSync(path)) return scifactStore(docs, 'scifact-wordvec.db');
  const store = openStore(`sqlite:${path}`);
  const byArxiv = new Map(docs.map((d, i) => [syntheticId(i), d.id]));
  const corpusId = new Map<number, string>();
  for (const r of store.sqlite.prepare('SELECT pk, id FROM papers').all() as { pk: number; id: string }[])
    corpusId.set(r.pk, byArxiv.get(r.id)!);
  return { store, corpusId };
}

export interface SiteCandidates {
  /** the site's top 100, best first */
  keys: number[];
  /** their BM25F scores, in the same order */
  bm25f: number[];
  /** their fields' text */
  rows: Record<FtsColumn, string>[];
  /** the query's stemmed terms and their idfs */
  terms: string[];
  idfs: number[];
  avgLength: Record<FtsColumn, number>;
}

/** The site's top 100 for a claim and their BM25F scores, recomputed as search.store.ts `rerank` computes them. */
export function siteCandidates(store: SqliteStore, text: string): SiteCandidates {
  const query = parseQuery(text);
  const keys = searchKeys(store, query, 100);
  const terms = queryTerms(query);
  const stats = corpusStats(store, terms);
  const idfs = termIdfs(terms, stats);
  const lengths = docLengths(store, keys);
  const matcher = termMatcher(terms);
  const row = store.sqlite.prepare('SELECT title, abstract, authors, categories FROM papers WHERE pk = ?');
  const rows = keys.map((pk) => row.get(pk) as Record<FtsColumn, string>);
  const bm25f = keys.map((pk, i) => {
    const doc = {
      lengths: lengths.get(pk)!,
      tf: FIELDS.map((f) => termFrequencies(rows[i]![f] ?? '', matcher)),
    };
    return bm25fScore(doc, idfs, stats.avgLength, DEFAULT_BM25F);
  });
  return { keys, bm25f, rows, terms, idfs, avgLength: stats.avgLength };
}

/** Neighbouring pairs whose recomputed scores are out of the site's order (0 when the recomputation is right). */
export function outOfOrder(lists: Iterable<{ bm25f: number[] }>): number {
  let pairs = 0;
  for (const c of lists)
    for (let i = 1; i < c.bm25f.length; i++) if (c.bm25f[i]! > c.bm25f[i - 1]! + 1e-9) pairs++;
  return pairs;
}

/** The store's papers that are SciFact abstracts, in key order, with their content tokens (stop words out). */
export function abstractTokens(store: SqliteStore, corpusId: Map<number, string>, docs: Docs) {
  const pks = (store.sqlite.prepare('SELECT pk FROM papers ORDER BY pk').pluck().all() as number[]).filter(
    (pk) => corpusId.has(pk),
  );
  const textOf = new Map(docs.map((d) => [d.id, `${d.title} ${d.text}`]));
  return { pks, docTokens: pks.map((pk) => contentTokens(textOf.get(corpusId.get(pk)!)!)) };
}

/** Per-query nDCG@10 of the even (held-out) half. */
export function evenNdcg(judged: Judged, rank: (text: string) => string[]): number[] {
  return judged.queries.flatMap((q, i) =>
    i % 2 === 1 ? [ndcgAt(rank(q.text), judged.relevant.get(q.id)!, 10)] : [],
  );
}

/** A ranking against a baseline's per-query figures on the held-out half: mean gain, paired bootstrap 95 %. */
export function heldOut(judged: Judged, rank: (text: string) => string[], baseline: number[]): string {
  const diff = evenNdcg(judged, rank).map((x, i) => x - baseline[i]!);
  const random = prng(12345);
  const means: number[] = [];
  for (let b = 0; b < 10_000; b++) {
    let sum = 0;
    for (let i = 0; i < diff.length; i++) sum += diff[Math.floor(random() * diff.length)]!;
    means.push(sum / diff.length);
  }
  means.sort((a, b) => a - b);
  const mean = diff.reduce((a, b) => a + b, 0) / diff.length;
  const sign = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
  return (
    `even half Δ nDCG@10 ${sign(mean)}, 95 % CI [${sign(means[250]!)}, ${sign(means[9750]!)}]; ` +
    `${diff.filter((d) => d > 1e-9).length} queries better, ${diff.filter((d) => d < -1e-9).length} worse, ` +
    `${diff.filter((d) => Math.abs(d) <= 1e-9).length} unchanged`
  );
}
