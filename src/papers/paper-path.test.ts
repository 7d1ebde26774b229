import { describe, expect, it } from 'vitest';
import { splitPaperPath } from './paper-path.ts';

describe('splitPaperPath', () => {
  it.each([
    ['2312.07000', { id: '2312.07000', version: null, suffix: '' }],
    ['2312.07000v2', { id: '2312.07000', version: 2, suffix: '' }],
    ['2312.07000.md', { id: '2312.07000', version: null, suffix: '.md' }],
    ['2312.07000/thumbnail.svg', { id: '2312.07000', version: null, suffix: '/thumbnail.svg' }],
    ['hep-th/9901001', { id: 'hep-th/9901001', version: null, suffix: '' }],
    ['hep-th/9901001v3.md', { id: 'hep-th/9901001', version: 3, suffix: '.md' }],
    ['math.GT/0309136', { id: 'math/0309136', version: null, suffix: '' }],
  ])('%s', (input, expected) => {
    expect(splitPaperPath(input)).toEqual(expected);
  });

  it.each(['', 'trending', '2313.07000', '2312.07000x', 'foo/9901001', '../etc/passwd', '2312.07000v0'])(
    'refuses %s',
    (input) => {
      expect(splitPaperPath(input)).toBeNull();
    },
  );
});
