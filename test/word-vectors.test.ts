import { describe, expect, it } from 'vitest';
import {
  buildVocab,
  centre,
  contentTokens,
  cooccurrences,
  dot,
  encode,
  fuseScores,
  meanVector,
  ppmi,
  prng,
  symmetricEigen,
  textVector,
  trainPpmiSvd,
  trainSkipGram,
  truncatedSvd,
  vocabIdf,
  wordSimilarity,
} from '../bench/experiments/word-vectors.ts';

/** Two topics that never share a sentence: words of one topic co-occur only with each other. */
function twoTopics(sentences: number, seed = 7): string[][] {
  const random = prng(seed);
  const a = ['tumor', 'cancer', 'chemotherapy', 'oncology', 'metastasis'];
  const b = ['insulin', 'glucose', 'diabetes', 'pancreas', 'obesity'];
  return Array.from({ length: sentences }, (_, i) => {
    const topic = i % 2 === 0 ? a : b;
    return Array.from({ length: 12 }, () => topic[Math.floor(random() * topic.length)]!);
  });
}

describe('word vectors', () => {
  it('seeded PRNG repeats itself and stays in [0, 1)', () => {
    const x = prng(42);
    const y = prng(42);
    const xs = Array.from({ length: 1000 }, () => x());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => y()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('makes vectors of content words, stemmed as the index has them', () => {
    expect(contentTokens('The mice were aligning with Müller')).toEqual(['mice', 'align', 'muller']);
  });

  it('keeps words seen often enough, most frequent first, and encodes texts by them', () => {
    const vocab = buildVocab(
      [
        ['b', 'a', 'b', 'c'],
        ['b', 'a'],
      ],
      2,
    );
    expect(vocab.words).toEqual(['b', 'a']);
    expect([...vocab.df]).toEqual([2, 2]);
    expect(encode([['c', 'a', 'b']], vocab).map((t) => [...t])).toEqual([[1, 0]]);
  });

  it('counts co-occurrences within the window, weighted by distance, symmetrically', () => {
    // 0 1 2 with window 2: (0,1) and (1,2) at distance 1 weigh 1, (0,2) at distance 2 weighs 0.5
    const m = cooccurrences([Int32Array.from([0, 1, 2])], 3, 2);
    const cell = (r: number, c: number) => {
      for (let k = m.rowStart[r]!; k < m.rowStart[r + 1]!; k++) if (m.columns[k] === c) return m.values[k]!;
      return 0;
    };
    expect([cell(0, 1), cell(1, 0), cell(1, 2), cell(0, 2), cell(2, 0), cell(0, 0)]).toEqual([
      1, 1, 1, 0.5, 0.5, 0,
    ]);
    // PPMI drops what co-occurs less than chance and keeps the rest positive
    const p = ppmi(m, 1);
    expect([...p.values].every((v) => v > 0)).toBe(true);
  });

  it('finds the eigenvalues of a symmetric matrix (Jacobi)', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect([...values].sort()).toEqual([expect.closeTo(1, 10), expect.closeTo(3, 10)]);
    // columns are orthonormal
    expect(vectors[0]! * vectors[1]! + vectors[2]! * vectors[3]!).toBeCloseTo(0, 10);
  });

  it('truncated SVD recovers a rank-one matrix', () => {
    // A = u uᵀ with u = (1, 2, 0, 2) / 3: one singular value 1, vector ±u
    const u = [1, 2, 0, 2].map((x) => x / 3);
    const rowStart = Int32Array.from([0, 3, 6, 6, 9]);
    const columns = Int32Array.from([0, 1, 3, 0, 1, 3, 0, 1, 3]);
    const values = Float32Array.from([0, 1, 3].flatMap((r) => [0, 1, 3].map((c) => u[r]! * u[c]!)));
    // rows 0, 1, 3 in order; row 2 empty
    const a = { size: 4, rowStart, columns, values };
    const v = truncatedSvd(a, { dims: 1, oversample: 2, eigenWeight: 0 });
    const sign = Math.sign(v[0]!);
    expect([...v].map((x) => sign * x)).toEqual(u.map((x) => expect.closeTo(x, 5)));
  });

  it('puts words of the same topic closer than words of different topics (skip-gram and PPMI-SVD)', () => {
    const texts = twoTopics(400);
    const vocab = buildVocab(texts, 1);
    const encoded = encode(texts, vocab);
    const id = (w: string) => vocab.index.get(w)!;
    for (const [vectors, dims] of [
      [trainSkipGram(encoded, vocab, { dims: 16, epochs: 3, sample: 0 }), 16],
      [trainPpmiSvd(encoded, vocab, { dims: 4 }), 4],
    ] as const) {
      const same = wordSimilarity(vectors, dims, id('tumor'), id('cancer'));
      const other = wordSimilarity(vectors, dims, id('tumor'), id('insulin'));
      expect(same).toBeGreaterThan(other + 0.3);
    }
  });

  it('trains the same vectors from the same seed', () => {
    const texts = twoTopics(50);
    const vocab = buildVocab(texts, 1);
    const encoded = encode(texts, vocab);
    expect(trainSkipGram(encoded, vocab, { dims: 8, epochs: 1 })).toEqual(
      trainSkipGram(encoded, vocab, { dims: 8, epochs: 1 }),
    );
  });

  it('makes unit text vectors, and centring removes the shared direction', () => {
    const texts = twoTopics(200);
    const vocab = buildVocab(texts, 1);
    const encoded = encode(texts, vocab);
    const vectors = trainPpmiSvd(encoded, vocab, { dims: 4 });
    const idfs = vocabIdf(vocab);
    const docs = encoded.map((t) => textVector(t, idfs, vectors, 4));
    expect(dot(docs[0]!, docs[0]!)).toBeCloseTo(1, 5);
    expect(dot(docs[0]!, docs[2]!)).toBeGreaterThan(dot(docs[0]!, docs[1]!));
    const mean = meanVector(docs, 4);
    const centred = docs.map((d) => centre(d, mean));
    expect(dot(meanVector(centred, 4), meanVector(centred, 4))).toBeLessThan(dot(mean, mean) + 1e-9);
    expect(textVector(new Int32Array(0), idfs, vectors, 4).every((x) => x === 0)).toBe(true);
  });

  it('fuses lexical scores with similarities by λ', () => {
    // lexical prefers 0, similarity prefers 1
    expect(fuseScores([10, 9], [0, 1], 0)).toEqual([0, 1]);
    expect(fuseScores([10, 9], [0, 1], 0.05)).toEqual([0, 1]);
    expect(fuseScores([10, 9], [0, 1], 0.5)).toEqual([1, 0]);
    expect(fuseScores([10, 9, 1], [0, 1, 0.5], 0.5, 'z')).toEqual([1, 0, 2]);
    // ties keep the lexical order
    expect(fuseScores([1, 1], [0, 0], 1)).toEqual([0, 1]);
  });
});
