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
 * streams (bench/experiments/proximity.ts): minDist (Σ min idf / (1 + smallest distance)), BM25-TP (window 5) or sequential
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
 * Usage: npx tsx bench/experiments/search-proximity.ts      (the store bench/out/scifact-wordvec.db is reused)
 */
import { indexTokens } from '../../src/search/tokens.ts';
import { evaluate, fmt, type Judged, loadScifact } from '../search-eval.ts';
import { fuseLinear, type ProximityScores, proximityScores, termPositions } from './proximity.ts';
import {
  abstractTokens,
  evenNdcg,
  heldOut,
  openScifact,
  outOfOrder,
  type SiteCandidates,
  siteCandidates,
} from './scifact-rerank.ts';
import {
  buildVocab,
  contentTokens,
  dot,
  encode,
  textVector,
  trainPpmiSvd,
  vocabIdf,
} from './word-vectors.ts';

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

let proximityMs = 0;
let proximityOnlyMs = 0;

/** The proximity scores of the site's candidates for a claim, timed. */
function proximityOf(c: SiteCandidates): Record<Kind, number[]> {
  // the proximity feature's own cost: tokenise title and abstract of the 100 (the text is loaded already), score
  const started = performance.now();
  const avg = c.avgLength.title + c.avgLength.abstract;
  const proximity: Record<Kind, number[]> = { minDist: [], bm25tp: [], sequential: [] };
  let scoringMs = 0;
  for (const r of c.rows) {
    const fields = [indexTokens(r.title ?? ''), indexTokens(r.abstract ?? '')];
    const s0 = performance.now();
    const p = proximityScores(
      termPositions(fields, c.terms),
      c.idfs,
      fields.map((f) => f.length),
      avg,
    );
    scoringMs += performance.now() - s0;
    for (const k of KINDS) proximity[k].push(p[k]);
  }
  proximityMs += performance.now() - started;
  proximityOnlyMs += scoringMs;
  return proximity;
}

const { pks, docTokens } = abstractTokens(store, corpusId, data.docs);

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
  candidates.set(q.text, {
    keys: c.keys,
    bm25f: c.bm25f,
    proximity: proximityOf(c),
    cos: c.keys.map((pk) => dot(qv, docVectors.get(pk)!)),
  });
}
process.stderr.write(
  `${candidates.size} queries' candidates; ${outOfOrder(candidates.values())} pairs out of BM25F order\n`,
);

const ids = (keys: number[]) => keys.map((k) => corpusId.get(k)!);
const judged: Judged = data;

const ranker = (kind: Kind | null, lambdaP: number, lambdaV: number) => (text: string) => {
  const c = candidates.get(text)!;
  const features = [{ values: c.cos, lambda: lambdaV, raw: true }];
  if (kind) features.push({ values: c.proximity[kind], lambda: lambdaP, raw: false });
  return ids(fuseLinear(c.bm25f, features).map((i) => c.keys[i]!));
};

const site = (t: string) => ids(candidates.get(t)!.keys);
const baselineEven = evenNdcg(judged, site);

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
const vecEven = evenNdcg(judged, vecFixed);
for (const { label, choice } of rows) {
  const rank = ranker(choice.kind, choice.lambdaP, choice.lambdaV);
  console.log(
    `- ${label} (${settings(choice)}): vs site ${heldOut(judged, rank, baselineEven)}; vs vectors λ_v 0.3 ${heldOut(judged, rank, vecEven)}`,
  );
}
console.log();
console.log('The whole sweep (odd half decides; even half shown for the record):');
console.log();
console.log('| configuration | nDCG@10 all 300 | odd half (tuning) | even half (held out) | Recall@100 |');
console.log('|---|---|---|---|---|');
for (const line of new Set(sweep)) console.log(line);
await store.close();
