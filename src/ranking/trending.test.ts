import { describe, expect, it } from 'vitest';
import { trendingScore } from './trending.ts';

describe('trendingScore', () => {
  it('is pinned to exact numbers', () => {
    expect(trendingScore(0, '2020-01-01T00:00:00.000Z')).toBe(0);
    expect(trendingScore(9, '2020-01-01T00:00:00.000Z')).toBe(1);
    expect(trendingScore(99, '2020-01-02T00:00:00.000Z')).toBe(3);
    expect(trendingScore(42, '2025-02-12T09:30:00.000Z')).toBeCloseTo(1871.0293, 4);
  });

  it('makes one day newer worth ten times the upvotes', () => {
    const today = trendingScore(10, '2026-08-21T00:00:00.000Z');
    const yesterday = trendingScore(109, '2026-08-20T00:00:00.000Z');
    expect(today).toBeCloseTo(yesterday, 10);
  });

  it('treats negative counts as zero', () => {
    expect(trendingScore(-5, '2020-01-01T00:00:00.000Z')).toBe(0);
  });
});
