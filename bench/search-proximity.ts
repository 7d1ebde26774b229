/**
 * Does a term-proximity score, fused into the site's re-rank with or without corpus-trained word vectors, lift
 * BEIR SciFact's held-out half to 0.70? An experiment, not the product. The site's top 100 per claim
 * (searchKeys: FTS5 candidates re-ranked by BM25F) are re-scored by
 *
 *   score = BM25F / max BM25F + λ_v · cos(query vector, paper vector) + λ_p · proximity / max proximity
 *
 * (maxima over the query's 100 candidates). The vectors are search-wordvec.ts's cheapest good setting: PPMI +
 * randomized SVD, 100 dims, trained on the 5,183 abstracts, a text's vector the idf-weighted mean of its words'.
 * Proximity is one of three scores over pairs of distinct query terms in the title's and the abstract's token
 * streams (bench/proximity.ts): minDist (Σ min idf / (1 + smallest distance)), BM25-TP (window 5) or sequential
 * pairs (terms next to each other in the claim: ordered within 2, unordered within 8). The kind of score, λ_p
 * and λ_v are chosen on the ODD half of the queries only; the EVEN half is reported, never used to choose.
 * Re-ranking keeps the same 100 candidates, so Recall@100 cannot move.
 *
 * Measured 2026-11-28 (2 shared cores, one thread, 29 s): site 0.692 / odd 0.708 / even 0.676; vectors alone
 * (λ_v 0.3) 0.701 / 0.719 / 0.684; proximity alone (sequential, λ_p 0.1) 0.696 / 0.715 / 0.678; chosen on the
 * odd half, sequential λ_p 0.1 + vectors λ_v 0.75: 0.706 / 0.724 / 0.688, even-half gain over the site +0.012,
 * paired bootstrap 95 % [−0.005, +0.030]. No cell of the grid reaches 0.70 on the even half (best 0.699, BM25-TP
 * λ_p 0.2 + λ_v 0.75, which scores 0.708 on the odd half). Proximity costs 12 ms a query for 100 candidates,
 * nearly all of it stemming every word of their titles and abstracts (positions and scores: 0.9 ms).
 *
 * Usage: npx tsx bench/search-proximity.ts      (the store bench/out/scifact-wordvec.db is reused)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type SqliteStore } from '../src/db/connect.ts';
import { bm25fScore, DEFAULT_BM25F, FIELDS, termIdfs } from '../src/search/bm25f.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { queryTerms, searchKeys } from '../src/search/search.store.ts';
import { corpusStats, docLengths } from '../src/search/stats.store.ts';
import { indexTokens, termFrequencies, termMatcher } from '../src/search/tokens.ts';
import { syntheticId } from './generate.ts';
import { fuseLinear, type ProximityScores, proximityScores, termPositions } from './proximity.ts';
import { evaluate, fmt, type Judged, loadScifact, ndcgAt, scifactStore } from './search-eval.ts';
import { OUT } from './shared.ts';
import {
  buildVocab,
  contentTokens,
  dot,
  encode,
  prng,
  textVector,
  trainPpmiSvd,
  vocabIdf,
} from './word-vectors.ts';

async function openScifact(docs: { id: string; title: string; text: string }[]) {
  const path = join(OUT, 'scifact-wordvec.db');
  if (!existsSync(path)) return scifactStore(docs, 'scifact-wordvec.db');
  const store = openStore(`sqlite:${path}`);
  const byArxiv = new Map(docs.map((d, i) => [syntheticId(i), d.id]));
  const corpusId = new Map<number, string>();
  for (const r of store.sqlite.prepare('SELECT pk, id FROM papers').all() as { pk: number; id: string }[])
    corpusId.set(r.pk, byArxiv.get(r.id)!);
  return { store, corpusId };
}

type Kind = keyof ProximityScores;
const KINDS: Kind[] = ['minDist', 'bm25tp', 'sequential'];

interface Candidates {
  keys: number[];
  bm25f: number[];
  proximity: Record<Kind, number[]>;
  cos: number[];
}

const data = await loadScifact();
const t0 = performance.now();
const { store, corpusId } = await openScifact(data.docs);
process.stderr.write(`store ready in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

const row = store.sqlite.prepare('SELECT title, abstract, authors, categories FROM papers WHERE pk = ?');
let proximityMs = 0;
let proximityOnlyMs = 0;

/** The site's top 100, their BM25F scores (as search.store.ts `rerank` computes them) and proximity scores. */
function siteCandidates(store: SqliteStore, text: string): Omit<Candidates, 'cos'> {
  const query = parseQuery(text);
  const keys = searchKeys(store, query, 100);
  const terms = queryTerms(query);
  const stats = corpusStats(store, terms);
  const idfs = termIdfs(terms, stats);
  const lengths = docLengths(store, keys);
  const matcher = termMatcher(terms);
  const rows = keys.map((pk) => row.get(pk) as Record<string, string>);
  const bm25f = keys.map((pk, i) => {
    const r = rows[i]!;
    const doc = { lengths: lengths.get(pk)!, tf: FIELDS.map((f) => termFrequencies(r[f] ?? '', matcher)) };
    return bm25fScore(doc, idfs, stats.avgLength, DEFAULT_BM25F);
  });
  // the proximity feature's own cost: tokenise title and abstract of the 100 (the text is loaded already), score
  const started = performance.now();
  const avg = stats.avgLength.title + stats.avgLength.abstract;
  const proximity: Record<Kind, number[]> = { minDist: [], bm25tp: [], sequential: [] };
  let scoringMs = 0;
  for (const r of rows) {
    const fields = [indexTokens(r.title ?? ''), indexTokens(r.abstract ?? '')];
    const s0 = performance.now();
    const p = proximityScores(
      termPositions(fields, terms),
      idfs,
      fields.map((f) => f.length),
      avg,
    );
    scoringMs += performance.now() - s0;
    for (const k of KINDS) proximity[k].push(p[k]);
  }
  proximityMs += performance.now() - started;
  proximityOnlyMs += scoringMs;
  return { keys, bm25f, proximity };
}

const pks = (store.sqlite.prepare('SELECT pk FROM papers ORDER BY pk').pluck().all() as number[]).filter(
  (pk) => corpusId.has(pk),
);
const textOf = new Map(data.docs.map((d) => [d.id, `${d.title} ${d.text}`]));
const docTokens = pks.map((pk) => contentTokens(textOf.get(corpusId.get(pk)!)!));

// word vectors: PPMI-SVD, 100 dims, as search-wordvec.ts trains them
const vocab = buildVocab(docTokens, 3);
const encoded = encode(docTokens, vocab);
const trainStarted = performance.now();
const DIMS = 100;
const vectors = trainPpmiSvd(encoded, vocab, { dims: DIMS });
const idfsV = vocabIdf(vocab);
const docVectors = new Map<number, Float32Array>();
pks.forEach((pk, i) => {
  docVectors.set(pk, textVector(encoded[i]!, idfsV, vectors, DIMS));
});
process.stderr.write(
  `PPMI-SVD ${DIMS} dims trained in ${((performance.now() - trainStarted) / 1000).toFixed(1)} s\n`,
);

const candidates = new Map<string, Candidates>();
for (const q of data.queries) {
  const c = siteCandidates(store, q.text);
  const qv = textVector(encode([contentTokens(q.text)], vocab)[0]!, idfsV, vectors, DIMS);
  candidates.set(q.text, { ...c, cos: c.keys.map((pk) => dot(qv, docVectors.get(pk)!)) });
}
let disordered = 0;
for (const c of candidates.values())
  for (let i = 1; i < c.bm25f.length; i++) if (c.bm25f[i]! > c.bm25f[i - 1]! + 1e-9) disordered++;
process.stderr.write(`${candidates.size} queries' candidates; ${disordered} pairs out of BM25F order\n`);

const ids = (keys: number[]) => keys.map((k) => corpusId.get(k)!);
const judged: Judged = data;

const ranker = (kind: Kind | null, lambdaP: number, lambdaV: number) => (text: string) => {
  const c = candidates.get(text)!;
  const features = [{ values: c.cos, lambda: lambdaV, raw: true }];
  if (kind) features.push({ values: c.proximity[kind], lambda: lambdaP, raw: false });
  return ids(fuseLinear(c.bm25f, features).map((i) => c.keys[i]!));
};

/** Per-query nDCG@10 of the even (held-out) half. */
const evenNdcg = (rank: (text: string) => string[]) =>
  data.queries.flatMap((q, i) => (i % 2 === 1 ? [ndcgAt(rank(q.text), data.relevant.get(q.id)!, 10)] : []));
const site = (t: string) => ids(candidates.get(t)!.keys);
const baselineEven = evenNdcg(site);

/** Against a baseline on the held-out half: queries better / worse, and a paired bootstrap 95 % interval. */
function heldOut(rank: (text: string) => string[], baseline = baselineEven): string {
  const diff = evenNdcg(rank).map((x, i) => x - baseline[i]!);
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
    `Δ even nDCG@10 ${sign(mean)}, 95 % CI [${sign(means[250]!)}, ${sign(means[9750]!)}]; ` +
    `${diff.filter((d) => d > 1e-9).length} better, ${diff.filter((d) => d < -1e-9).length} worse`
  );
}

const LAMBDA_P = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1];
const LAMBDA_V = [0.1, 0.2, 0.3, 0.4, 0.5, 0.75];

interface Choice {
  kind: Kind | null;
  lambdaP: number;
  lambdaV: number;
  scores: ReturnType<typeof evaluate>;
}
const sweep: string[] = [];
/** The best (odd half only) over the given grid. */
function tune(kinds: (Kind | null)[], lambdasP: number[], lambdasV: number[]): Choice {
  let best: Choice | null = null;
  for (const kind of kinds)
    for (const lambdaP of kind ? lambdasP : [0])
      for (const lambdaV of lambdasV) {
        const scores = evaluate(judged, ranker(kind, lambdaP, lambdaV));
        sweep.push(`| ${kind ?? 'no proximity'}, λ_p ${lambdaP}, λ_v ${lambdaV} | ${fmt(scores)} |`);
        if (!best || scores.odd.ndcg10 > best.scores.odd.ndcg10 + 1e-12)
          best = { kind, lambdaP, lambdaV, scores };
      }
  return best!;
}

const settings = (c: Choice) =>
  `${c.kind ?? 'no proximity'}${c.kind ? `, λ_p ${c.lambdaP}` : ''}${c.lambdaV ? `, λ_v ${c.lambdaV}` : ''}`;

console.log(`proximity feature, per query (100 candidates, ${candidates.size} queries):`);
console.log(
  `  tokenise title + abstract and score: ${(proximityMs / candidates.size).toFixed(2)} ms; ` +
    `of which positions + three scores: ${(proximityOnlyMs / candidates.size).toFixed(2)} ms`,
);
console.log();
console.log('| configuration | nDCG@10 all 300 | odd half (tuning) | even half (held out) | Recall@100 |');
console.log('|---|---|---|---|---|');
console.log(`| site ranking (BM25F, top 100) | ${fmt(evaluate(judged, site))} |`);
const vecFixed = ranker(null, 0, 0.3);
console.log(
  `| + PPMI-SVD 100, max, λ_v 0.3 (search-wordvec.ts's setting) | ${fmt(evaluate(judged, vecFixed))} |`,
);
const rows: { label: string; choice: Choice }[] = [];
rows.push({ label: 'vectors only, λ_v tuned', choice: tune([null], [], LAMBDA_V) });
for (const kind of KINDS)
  rows.push({ label: `${kind} alone with BM25F`, choice: tune([kind], LAMBDA_P, [0]) });
rows.push({ label: 'proximity alone, kind chosen on odd', choice: tune(KINDS, LAMBDA_P, [0]) });
for (const kind of KINDS)
  rows.push({ label: `${kind} + vectors`, choice: tune([kind], LAMBDA_P, [0, ...LAMBDA_V]) });
rows.push({
  label: 'proximity + vectors, kind chosen on odd',
  choice: tune(KINDS, LAMBDA_P, [0, ...LAMBDA_V]),
});
for (const { label, choice } of rows)
  console.log(`| ${label}: ${settings(choice)} | ${fmt(choice.scores)} |`);

console.log();
console.log('Held-out half, paired over its 150 queries (bootstrap 10,000 resamples):');
console.log();
const vecEven = evenNdcg(vecFixed);
for (const { label, choice } of rows) {
  const rank = ranker(choice.kind, choice.lambdaP, choice.lambdaV);
  console.log(
    `- ${label} (${settings(choice)}): vs site ${heldOut(rank)}; vs vectors λ_v 0.3 ${heldOut(rank, vecEven)}`,
  );
}
console.log();
console.log('The whole sweep (odd half decides; even half shown for the record):');
console.log();
console.log('| configuration | nDCG@10 all 300 | odd half (tuning) | even half (held out) | Recall@100 |');
console.log('|---|---|---|---|---|');
for (const line of new Set(sweep)) console.log(line);
await store.close();
