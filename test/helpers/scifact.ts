import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/**
 * BEIR SciFact (../shared/data/scifact_beir): 5,183 abstracts, the test claims that have judgements, and
 * which abstracts each claim finds relevant. Read by the search-quality benchmarks (bench/search-eval.ts) and
 * by the test that both engines rank alike (test/engines-agree.test.ts).
 */
export interface Judged {
  queries: { id: string; text: string }[];
  relevant: Map<string, Set<string>>;
}
export type ScifactDoc = { id: string; title: string; text: string };

/** The corpus and its judged claims; throws naming the first file missing. */
export async function readScifact(dir: string): Promise<{ docs: ScifactDoc[] } & Judged> {
  const files = ['corpus.jsonl.gz', 'queries.test.jsonl', 'qrels/test.tsv'].map((f) => join(dir, f));
  const missing = files.find((f) => !existsSync(f));
  if (missing) throw new Error(`SciFact file missing: ${missing}`);
  const [corpus, queriesFile, qrels] = files as [string, string, string];
  const docs: ScifactDoc[] = [];
  for await (const line of createInterface({ input: createReadStream(corpus).pipe(createGunzip()) })) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { _id: string; title: string; text: string };
    docs.push({ id: r._id, title: r.title, text: r.text });
  }
  const relevant = new Map<string, Set<string>>();
  for (const line of readFileSync(qrels, 'utf8').split('\n').slice(1)) {
    const [q, d, score] = line.split('\t');
    if (!q || !d || Number(score) <= 0) continue;
    relevant.set(q, (relevant.get(q) ?? new Set()).add(d));
  }
  const queries = readFileSync(queriesFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { _id: string; text: string })
    .filter((q) => relevant.has(q._id))
    .map((q) => ({ id: q._id, text: q.text }));
  return { docs, queries, relevant };
}

/** nDCG@k with binary relevance. */
export function ndcgAt(ranked: string[], relevant: Set<string>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((d, i) => {
    if (relevant.has(d)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal > 0 ? dcg / ideal : 0;
}
