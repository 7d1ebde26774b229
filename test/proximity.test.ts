import { describe, expect, it } from 'vitest';
import { fuseLinear, minDistance, proximityScores, termPositions } from '../bench/experiments/proximity.ts';
import { indexTokens } from '../src/search/tokens.ts';

describe('termPositions', () => {
  it('lists each term’s positions per field, in the index’s stems', () => {
    const p = termPositions(
      [indexTokens('Aspirin lowers stroke risk'), indexTokens('Strokes and aspirin')],
      ['aspirin', 'stroke'],
    );
    expect(p).toEqual([
      [[0], [2]],
      [[2], [0]],
    ]);
  });
});

describe('minDistance', () => {
  it('finds the closest pair of two ascending lists', () => {
    expect(minDistance([1, 10, 20], [5, 18])).toBe(2);
    expect(minDistance([7], [3])).toBe(4);
    expect(minDistance([], [3])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('proximityScores', () => {
  const idfs = [2, 3];
  it('scores the README example', () => {
    const p = termPositions([indexTokens('Aspirin lowers stroke risk')], ['aspirin', 'stroke']);
    const s = proximityScores(p, idfs, [4], 4);
    expect(s.minDist).toBeCloseTo(2 / 3);
    // acc = 1/4; K = k1 (length = average)
    expect(s.bm25tp).toBeCloseTo((2 * 0.25 * 2.2) / (1.2 + 0.25));
    // ordered within 2: yes; unordered within 8: yes
    expect(s.sequential).toBeCloseTo(2 * (0.5 + 0.5));
  });

  it('gives closer pairs more, and nothing when a term is missing', () => {
    const near = proximityScores(termPositions([['a', 'b']], ['a', 'b']), idfs, [2], 2);
    const far = proximityScores(termPositions([['a', 'x', 'x', 'x', 'x', 'b']], ['a', 'b']), idfs, [6], 6);
    const missing = proximityScores(termPositions([['a', 'x']], ['a', 'b']), idfs, [2], 2);
    expect(near.minDist).toBeGreaterThan(far.minDist);
    expect(far.bm25tp).toBeGreaterThan(0);
    expect(near.bm25tp).toBeGreaterThan(far.bm25tp);
    expect(missing).toEqual({ minDist: 0, bm25tp: 0, sequential: 0 });
  });

  it('counts order only for query-adjacent pairs, and never across fields', () => {
    const reversed = proximityScores(termPositions([['b', 'a']], ['a', 'b']), idfs, [2], 2);
    expect(reversed.sequential).toBeCloseTo(2 * 0.5); // unordered only
    const split = proximityScores(termPositions([['a'], ['b']], ['a', 'b']), idfs, [1, 1], 2);
    expect(split).toEqual({ minDist: 0, bm25tp: 0, sequential: 0 });
    // a and c are not next to each other in the query: no sequential score
    const skip = proximityScores(termPositions([['a', 'c']], ['a', 'b', 'c']), [1, 1, 1], [2], 2);
    expect(skip.sequential).toBe(0);
    expect(skip.minDist).toBeCloseTo(0.5);
  });
});

describe('fuseLinear', () => {
  it('adds max-scaled features, or raw ones, and keeps the lexical order on ties', () => {
    expect(fuseLinear([2, 1], [])).toEqual([0, 1]);
    expect(fuseLinear([2, 1.8], [{ values: [0, 5], lambda: 0.2 }])).toEqual([1, 0]);
    expect(fuseLinear([2, 1.8], [{ values: [0, 5], lambda: 0.05 }])).toEqual([0, 1]);
    expect(fuseLinear([2, 1.8], [{ values: [0, 0.5], lambda: 0.1, raw: true }])).toEqual([0, 1]);
    expect(fuseLinear([1, 1], [{ values: [0, 0], lambda: 1 }])).toEqual([0, 1]);
  });
});
