import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toFtsQuery } from './query.ts';

describe('toFtsQuery', () => {
  it('quotes words, keeps phrases and exclusions', () => {
    expect(toFtsQuery('sparse "mixture of experts" -vision')).toEqual({
      all: '"sparse" "mixture of experts" NOT "vision"',
      any: '("sparse" OR "mixture of experts") NOT "vision"',
      words: ['sparse', 'mixture', 'of', 'experts'],
      text: 'sparse "mixture of experts" -vision',
    });
  });

  it('reads FTS5 syntax as plain words; punctuation inside a word makes a phrase (GPT-4 → "GPT 4")', () => {
    expect(toFtsQuery('GPT-4').all).toBe('"GPT 4"');
    expect(toFtsQuery('title:foo NEAR(a b) c* ^d').all).toBe('"title foo" "NEAR a" "b" "c" "d"');
    expect(toFtsQuery('"unbalanced').all).toBe('"unbalanced"');
    expect(toFtsQuery('-only -excluded').all).toBeNull();
    expect(toFtsQuery('  *** ').all).toBeNull();
  });

  it('only ever produces quoted terms', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (input) => {
        const q = toFtsQuery(input);
        if (q.all === null) return;
        // outside quoted strings only spaces, NOT, OR and parentheses remain
        expect(q.all.replace(/"[^"]*"/g, '').replace(/\b(NOT|OR)\b/g, '')).toMatch(/^[\s()]*$/);
      }),
      { numRuns: 2000 },
    );
  });
});
