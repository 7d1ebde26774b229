/**
 * Do word vectors trained on the collection itself lift the site's ranking on BEIR SciFact? An experiment, not
 * the product: the site's top 100 per claim (searchKeys, FTS5 candidates re-ranked by BM25F) are re-scored by
 *
 *   score = BM25F / max BM25F in the list + λ · cos(query vector, paper vector)      ('max')
 *   score = z(BM25F) + λ · z(cos)                                                   ('z', standardised over the list)
 *
 * where a vector is the idf-weighted mean of its words' vectors (title + abstract, stop words left out, porter
 * stems as the index has them), and the word vectors are trained here on the 5,183 abstracts by skip-gram with
 * negative sampling or PPMI + randomized SVD (src/search/word-vectors.ts). λ and the normalisation are chosen on
 * the ODD half of the queries only; the EVEN half is reported, never looked at when choosing. Re-ranking keeps
 * the same 100 candidates, so Recall@100 cannot move.
 *
 * Measured 2026-11-28 (2 shared cores, single thread): site 0.692 / odd 0.708 / even 0.676; PPMI-SVD 100 dims,
 * max, λ 0.3 (15 s training) 0.701 / 0.719 / 0.684; skip-gram 100 dims 15 epochs, z, λ 0.5 (230 s) 0.703 / 0.720 /
 * 0.686. Held-out gains +0.008 to +0.011, paired bootstrap 95 % intervals include 0 (the run prints them).
 *
 * Usage: npx tsx bench/search-wordvec.ts [ppmi:100] [sgns:100:15] …   (method:dims[:epochs]; default: see `plan`)
 * The store is kept in bench/out/scifact-wordvec.db and reused.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type SqliteStore } from '../src/db/connect.ts';
import { bm25fScore, DEFAULT_BM25F, FIELDS, termIdfs } from '../src/search/bm25f.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { queryTerms, searchKeys } from '../src/search/search.store.ts';
import { corpusStats, docLengths } from '../src/search/stats.store.ts';
import { termFrequencies, termMatcher } from '../src/search/tokens.ts';
import { syntheticId } from './generate.ts';
import {
  evaluate,
  fmt,
  type Half,
  type Judged,
  loadScifact,
  ndcgAt,
  type Scores,
  scifactStore,
} from './search-eval.ts';
import { OUT } from './shared.ts';
import {
  buildVocab,
  centre,
  contentTokens,
  dot,
  encode,
  fuseScores,
  meanVector,
  type Normalisation,
  prng,
  textVector,
  trainPpmiSvd,
  trainSkipGram,
  type Vocab,
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

interface Candidates {
  keys: number[];
  bm25f: number[];
}

/** The site's top 100 and their BM25F scores, recomputed as search.store.ts `rerank` computes them. */
function siteCandidates(store: SqliteStore, text: string): Candidates {
  const query = parseQuery(text);
  const keys = searchKeys(store, query, 100);
  const terms = queryTerms(query);
  const stats = corpusStats(store, terms);
  const idfs = termIdfs(terms, stats);
  const lengths = docLengths(store, keys);
  const matcher = termMatcher(terms);
  const row = store.sqlite.prepare('SELECT title, abstract, authors, categories FROM papers WHERE pk = ?');
  const bm25f = keys.map((pk) => {
    const r = row.get(pk) as Record<string, string>;
    const doc = { lengths: lengths.get(pk)!, tf: FIELDS.map((f) => termFrequencies(r[f] ?? '', matcher)) };
    return bm25fScore(doc, idfs, stats.avgLength, DEFAULT_BM25F);
  });
  return { keys, bm25f };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const data = await loadScifact();
const t0 = performance.now();
const { store, corpusId } = await openScifact(data.docs);
process.stderr.write(`store ready in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

const pks = (store.sqlite.prepare('SELECT pk FROM papers ORDER BY pk').pluck().all() as number[]).filter(
  (pk) => corpusId.has(pk),
);
const textOf = new Map(data.docs.map((d) => [d.id, `${d.title} ${d.text}`]));
const docTokens = pks.map((pk) => contentTokens(textOf.get(corpusId.get(pk)!)!));
const tokenCount = docTokens.reduce((s, t) => s + t.length, 0);

const candidates = new Map<string, Candidates>();
for (const q of data.queries) candidates.set(q.text, siteCandidates(store, q.text));
// the recomputed scores must give the site's own order
let disordered = 0;
for (const c of candidates.values())
  for (let i = 1; i < c.bm25f.length; i++) if (c.bm25f[i]! > c.bm25f[i - 1]! + 1e-9) disordered++;
process.stderr.write(`${candidates.size} queries' candidates; ${disordered} pairs out of BM25F order\n`);

const ids = (keys: number[]) => keys.map((k) => corpusId.get(k)!);
const judged: Judged = data;

console.log(`SciFact: ${pks.length} abstracts, ${tokenCount} content tokens (stop words out)`);
console.log();
console.log('| configuration | nDCG@10 all 300 | odd half (tuning) | even half (held out) | Recall@100 |');
console.log('|---|---|---|---|---|');
console.log(
  `| site ranking (BM25F, top 100) | ${fmt(evaluate(judged, (t) => ids(candidates.get(t)!.keys)))} |`,
);

/** Per-query nDCG@10 of the even (held-out) half. */
const evenNdcg = (rank: (text: string) => string[]) =>
  data.queries.flatMap((q, i) => (i % 2 === 1 ? [ndcgAt(rank(q.text), data.relevant.get(q.id)!, 10)] : []));
const baselineEven = evenNdcg((t) => ids(candidates.get(t)!.keys));

/** Against the site's ranking on the held-out half: queries better / worse, and a paired bootstrap 95 % interval. */
function heldOut(rank: (text: string) => string[]): string {
  const diff = evenNdcg(rank).map((x, i) => x - baselineEven[i]!);
  const random = prng(12345);
  const means: number[] = [];
  for (let b = 0; b < 10_000; b++) {
    let sum = 0;
    for (let i = 0; i < diff.length; i++) sum += diff[Math.floor(random() * diff.length)]!;
    means.push(sum / diff.length);
  }
  means.sort((a, b) => a - b);
  const mean = diff.reduce((a, b) => a + b, 0) / diff.length;
  return (
    `even half Δ nDCG@10 ${mean >= 0 ? '+' : ''}${mean.toFixed(4)}, 95 % CI [${means[250]!.toFixed(4)}, ` +
    `${means[9750]!.toFixed(4)}]; ${diff.filter((d) => d > 1e-9).length} queries better, ` +
    `${diff.filter((d) => d < -1e-9).length} worse, ${diff.filter((d) => Math.abs(d) <= 1e-9).length} unchanged`
  );
}
const paired: string[] = [];

const LAMBDAS: Record<Normalisation, number[]> = {
  max: [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1],
  z: [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1],
};

function experiment(
  method: 'sgns' | 'ppmi',
  dims: number,
  epochs: number,
  vocab: Vocab,
  encoded: Int32Array[],
) {
  global.gc?.();
  const before = process.memoryUsage();
  const started = performance.now();
  const vectors =
    method === 'sgns'
      ? trainSkipGram(encoded, vocab, { dims, epochs })
      : trainPpmiSvd(encoded, vocab, { dims });
  const trainSeconds = (performance.now() - started) / 1000;
  const after = process.memoryUsage();
  const idfs = vocabIdf(vocab);
  const docStarted = performance.now();
  const docVectors = new Map<number, Float32Array>();
  pks.forEach((pk, i) => {
    docVectors.set(pk, textVector(encoded[i]!, idfs, vectors, dims));
  });
  const docSeconds = (performance.now() - docStarted) / 1000;
  const name =
    method === 'sgns'
      ? `skip-gram (SGNS), ${dims} dims, ${epochs} epochs`
      : `PPMI + randomized SVD, ${dims} dims`;
  process.stderr.write(
    `${name}: trained in ${trainSeconds.toFixed(1)} s (heap +${mb(after.heapUsed - before.heapUsed)}, ` +
      `array buffers +${mb(after.arrayBuffers - before.arrayBuffers)}, peak RSS so far ${mb(process.resourceUsage().maxRSS * 1024)}); ` +
      `${pks.length} paper vectors in ${docSeconds.toFixed(2)} s\n`,
  );

  const mean = meanVector(docVectors.values(), dims);
  const centred = new Map([...docVectors].map(([pk, v]) => [pk, centre(v, mean)]));
  const sweep: string[] = [];
  for (const centring of [false, true]) {
    const variant = `${name}${centring ? ', centred' : ''}`;
    const vectorsOf = centring ? centred : docVectors;
    // per query: the query's vector, one dot product per candidate, the fusion sort
    const similarity = new Map<string, number[]>();
    let fusionMs = 0;
    for (const [text, c] of candidates) {
      const s = performance.now();
      let qv = textVector(encode([contentTokens(text)], vocab)[0]!, idfs, vectors, dims);
      if (centring) qv = centre(qv, mean);
      const sims = c.keys.map((pk) => dot(qv, vectorsOf.get(pk)!));
      fuseScores(c.bm25f, sims, 0.3, 'max');
      fusionMs += performance.now() - s;
      similarity.set(text, sims);
    }
    process.stderr.write(
      `${variant}: per-query fusion (query vector + 100 dot products + sort) ${(fusionMs / candidates.size).toFixed(3)} ms\n`,
    );
    const ranker = (lambda: number, normalisation: Normalisation) => (text: string) => {
      const c = candidates.get(text)!;
      return ids(fuseScores(c.bm25f, similarity.get(text)!, lambda, normalisation).map((i) => c.keys[i]!));
    };
    const alone = (t: string) => {
      const c = candidates.get(t)!;
      const sims = similarity.get(t)!;
      return ids(
        c.keys
          .map((k, i) => ({ k, s: sims[i]! }))
          .sort((a, b) => b.s - a.s)
          .map((x) => x.k),
      );
    };
    console.log(
      `| ${variant}: vectors alone (the 100 re-ranked by cosine) | ${fmt(evaluate(judged, alone))} |`,
    );
    let best: { lambda: number; normalisation: Normalisation; scores: Record<Half, Scores> } | null = null;
    for (const normalisation of ['max', 'z'] as Normalisation[]) {
      for (const lambda of LAMBDAS[normalisation]) {
        const scores = evaluate(judged, ranker(lambda, normalisation));
        // the odd half alone decides
        if (!best || scores.odd.ndcg10 > best.scores.odd.ndcg10) best = { lambda, normalisation, scores };
        sweep.push(`| ${variant}, ${normalisation}, λ ${lambda} | ${fmt(scores)} |`);
      }
    }
    console.log(
      `| **${variant}, chosen on the odd half: ${best!.normalisation}, λ ${best!.lambda}** | ${fmt(best!.scores)} |`,
    );
    paired.push(
      `${variant}, ${best!.normalisation}, λ ${best!.lambda}: ${heldOut(ranker(best!.lambda, best!.normalisation))}`,
    );
  }
  return sweep;
}

const runs = process.argv.slice(2).filter((a) => a.includes(':'));
const plan = runs.length > 0 ? runs : ['ppmi:100', 'ppmi:200', 'sgns:100:5', 'sgns:100:15'];
const vocab = buildVocab(docTokens, 3);
const encoded = encode(docTokens, vocab);
process.stderr.write(`vocabulary: ${vocab.words.length} stems seen 3+ times\n`);
const sweeps: string[] = [];
for (const run of plan) {
  const [method, dims, epochs] = run.split(':');
  sweeps.push(...experiment(method as 'sgns' | 'ppmi', Number(dims), Number(epochs ?? 5), vocab, encoded));
}
console.log();
console.log('Held-out half, each chosen configuration against the site ranking (paired, 150 queries):');
console.log();
for (const line of paired) console.log(`- ${line}`);
console.log();
console.log('The whole λ sweep (odd half decides; even half shown for the record):');
console.log();
console.log('| configuration | nDCG@10 all 300 | odd half (tuning) | even half (held out) | Recall@100 |');
console.log('|---|---|---|---|---|');
for (const line of sweeps) console.log(line);
await store.close();
