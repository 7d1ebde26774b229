import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../../test/helpers/shared-data.ts';
import { wordsText } from '../../test/helpers/texts.ts';
import { bm25fScore, type CorpusStats, DEFAULT_BM25F, idf, rerankBm25f } from './bm25f.ts';
import { reciprocalRankFusion } from './hybrid.ts';
import { parseQuery } from './query-parse.ts';
import { SUGGESTION_BUDGET, suggestQuery } from './suggest.store.ts';
import { applyCorrections, bestCorrection, edits1, edits2 } from './suggest.ts';
import { indexTokens, isPlainAscii, termFrequencies, termMatcher, tokenCount } from './tokens.ts';

const stats: CorpusStats = {
  docs: 1000,
  avgLength: { title: 10, abstract: 150, authors: 6, categories: 4 },
  df: new Map([
    ['sparse', 10],
    ['expert', 100],
  ]),
};

describe('BM25F', () => {
  it('scores to the golden number of its formula', () => {
    // title: 1 × sparse, length 10 (avg); abstract: 2 × expert, length 150 (avg)
    const doc = {
      lengths: [10, 150, 6, 4],
      tf: [
        [1, 0],
        [0, 2],
        [0, 0],
        [0, 0],
      ],
    };
    const idfs = ['sparse', 'expert'].map((t) => idf(1000, stats.df.get(t)!));
    expect(idfs[0]).toBeCloseTo(Math.log(1 + 990.5 / 10.5), 12);
    // tf~ sparse = 3 × 1 / 1 = 3; expert = 1 × 2 / 1 = 2; k1 = 0.9
    const expected = (idfs[0]! * 3) / 3.9 + (idfs[1]! * 2) / 2.9;
    expect(bm25fScore(doc, idfs, stats.avgLength, DEFAULT_BM25F)).toBeCloseTo(expected, 12);
    expect(bm25fScore(doc, idfs, stats.avgLength, DEFAULT_BM25F)).toBeCloseTo(5.0909, 3);
  });

  it('prefers the rare word, the title, and the shorter field', () => {
    const rank = (docs: number[][][], lengths: number[][] = docs.map(() => [10, 150, 6, 4])) =>
      rerankBm25f(
        ['sparse', 'expert'],
        docs.map((tf, i) => ({ key: i, doc: { lengths: lengths[i]!, tf } })),
        stats,
        DEFAULT_BM25F,
      ).map((r) => r.key);
    const inAbstract = (s: number, e: number) => [
      [0, 0],
      [s, e],
      [0, 0],
      [0, 0],
    ];
    expect(rank([inAbstract(0, 1), inAbstract(1, 0)])).toEqual([1, 0]);
    expect(
      rank([
        inAbstract(1, 0),
        [
          [1, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
      ]),
    ).toEqual([1, 0]);
    expect(
      rank(
        [inAbstract(1, 0), inAbstract(1, 0)],
        [
          [10, 300, 6, 4],
          [10, 75, 6, 4],
        ],
      ),
    ).toEqual([1, 0]);
    // ties keep the first pass's order
    expect(rank([inAbstract(1, 0), inAbstract(1, 0), inAbstract(1, 0)])).toEqual([0, 1, 2]);
  });
});

describe('tokens', () => {
  it('fold and stem as FTS5 porter unicode61 remove_diacritics 2 does', () => {
    expect(indexTokens('Aligning Language Models, Müller’s GPT-4!')).toEqual([
      'align',
      'languag',
      'model',
      'muller',
      's',
      'gpt',
      '4',
    ]);
  });

  it('count query terms in text the same way as tokenizing all of it', () => {
    const text = 'Aligned models align; ALIGNMENT of modelling. Aligners model alignments.';
    const terms = ['align', 'model', 'absent'];
    const counts = termFrequencies(text, termMatcher(terms));
    const tokens = indexTokens(text);
    expect(counts).toEqual(terms.map((t) => tokens.filter((x) => x === t).length));
    expect(counts).toEqual([5, 3, 0]);
  });

  it("count a text's tokens as tokenizing it does, ASCII or not", () => {
    for (const text of [
      '',
      '   ',
      'Aligning Language Models, Müller’s GPT-4!',
      'naïve Ünïcödé ﬁeld – 東京 2024 x²',
      'tabs\tand\nnewlines, under_scores and dots.cs.CL',
      '["Ada Lovelace", "Émile Borel"]',
      'control \u0000\u0010\u0019\u001f characters @[`{ A-Z a-z 0-9',
      Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join(''),
    ])
      expect(tokenCount(text), text).toBe(indexTokens(text).length);
  });

  it('take the ASCII path only for text whose every code unit is ASCII', () => {
    expect(isPlainAscii('Sparse experts, GPT-4 (2024)\t\n')).toBe(true);
    expect(isPlainAscii('control \u0000\u0011\u007f characters')).toBe(true);
    expect(isPlainAscii('')).toBe(true);
    for (const text of [
      'naïve',
      'Über',
      'x\u0080',
      'ﬁne',
      '\u{1F600}',
      'lone \ud83d surrogate',
      'über'.normalize('NFD'),
    ])
      expect(isPlainAscii(text)).toBe(false);
  });

  it('count the same on plain ASCII (its own pattern) as on any text', () => {
    const words = [
      'Align',
      'aligned',
      'MODELS',
      'model-based',
      'Modèle',
      'x2',
      'of',
      'Über',
      'gpt-4',
      'naïve',
    ];
    const text = wordsText(words, [' ', ', ', '\n', '-', '(', '\t', '\u0011', '\u0000', '\u007f', '_']);
    const terms = fc.subarray(['align', 'model', 'x2', 'gpt', '4', 'uber', 'naiv', 'modèl']);
    fc.assert(
      fc.property(text, terms, (t, q) => {
        const tokens = indexTokens(t);
        expect(termFrequencies(t, termMatcher(q))).toEqual(
          q.map((x) => tokens.filter((y) => y === x).length),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('match SQLite on every word of the SciFact corpus (shared data)', async () => {
    const file = sharedDataFile('scifact_beir/corpus.jsonl.gz');
    if (!file) return;
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const { gunzipSync } = await import('node:zlib');
    const { readFileSync } = await import('node:fs');
    const texts = gunzipSync(readFileSync(file))
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, 1500)
      .map((l) => {
        const r = JSON.parse(l) as { title: string; text: string };
        return `${r.title} ${r.text}`;
      });
    const db = new BetterSqlite3(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2');
             CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);`);
    const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (?, ?)');
    db.transaction(() => {
      for (const [i, text] of texts.entries()) insert.run(i + 1, text);
    })();
    const rows = db.prepare('SELECT term, doc, offset FROM v').raw().all() as [string, number, number][];
    const sqlite = new Map<number, string[]>();
    for (const [term, doc, offset] of rows) {
      if (!sqlite.has(doc)) sqlite.set(doc, []);
      sqlite.get(doc)![offset] = term;
    }
    let total = 0;
    let differ = 0;
    for (const [doc, terms] of sqlite) {
      const ours = indexTokens(texts[doc - 1]!);
      terms.forEach((t, i) => {
        total++;
        if (ours[i] !== t) differ++;
      });
    }
    db.close();
    expect(total).toBeGreaterThan(300_000);
    // a few differ on Unicode corners (µ vs μ, Greek letters glued to Latin ones): under 0.05 %
    expect(differ / total).toBeLessThan(0.0005);
  });
});

describe('reciprocal rank fusion', () => {
  it('adds 1/(k + rank) over the lists', () => {
    expect(
      reciprocalRankFusion([
        [1, 2, 3],
        [3, 1],
      ]),
    ).toEqual([1, 3, 2]);
    expect(reciprocalRankFusion([['a'], ['b']])).toEqual(['a', 'b']);
    expect(
      reciprocalRankFusion(
        [
          [1, 2],
          [2, 1],
        ],
        60,
        [1, 2],
      ),
    ).toEqual([2, 1]);
    expect(reciprocalRankFusion([])).toEqual([]);
  });
});

describe('spelling suggestions', () => {
  it('makes every one-edit variant', () => {
    const e = edits1('graph');
    for (const w of ['grap', 'rgaph', 'grapha', 'griph', 'agraph']) expect(e).toContain(w);
    expect(e).not.toContain('graph');
    expect(e).toHaveLength(new Set(e).size);
    expect(edits1('netwrok')).toContain('network');
    expect(edits2('ntwrok')).toContain('network');
    expect(edits2('nueralnetwork')).toHaveLength(5000);
  });

  it('picks the most common candidate, only when clearly more common than the word', () => {
    const counted = [
      { word: 'transformer', papers: 180 },
      { word: 'tranformers', papers: 2 },
    ];
    expect(bestCorrection(0, counted)).toBe('transformer');
    expect(bestCorrection(20, counted)).toBeNull();
    expect(bestCorrection(0, [{ word: 'x', papers: 2 }])).toBeNull();
  });

  it('counts at most SUGGESTION_BUDGET words for one query, however many long made-up words it has', async () => {
    const papers = new Map([
      ['transformer', 900],
      ['network', 700],
    ]);
    let asked = 0;
    const counter = (words: string[]) => {
      asked += words.length;
      return words.map((w) => papers.get(w) ?? 0);
    };
    const made = 'qwrtzpx mnbvcxl plokijuh zxcvbnmq asdfghjk poiuytre';
    expect(await suggestQuery(counter, parseQuery(made), made)).toBeNull();
    expect(asked).toBeGreaterThan(SUGGESTION_BUDGET / 2);
    expect(asked).toBeLessThanOrEqual(SUGGESTION_BUDGET);
    // two ordinary typos are still corrected within it
    asked = 0;
    expect(await suggestQuery(counter, parseQuery('tranformer netwrok'), 'tranformer netwrok')).toBe(
      'transformer network',
    );
    expect(asked).toBeLessThanOrEqual(SUGGESTION_BUDGET);
  });

  it('rewrites only the corrected words of the typed query', () => {
    expect(applyCorrections('"Tranformer" models -x', new Map([['tranformer', 'transformer']]))).toBe(
      '"transformer" models -x',
    );
  });
});
