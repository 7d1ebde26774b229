import { describe, expect, it } from 'vitest';
import { decodeLatex, parseAuthors } from './authors.ts';

describe('parseAuthors', () => {
  it('splits on commas and "and", keeping order', () => {
    expect(parseAuthors("C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan")).toEqual([
      'C. Balázs',
      'E. L. Berger',
      'P. M. Nadolsky',
      'C.-P. Yuan',
    ]);
    expect(parseAuthors('Alice Anderson and Bob Band')).toEqual(['Alice Anderson', 'Bob Band']);
    expect(parseAuthors('A. One, B. Two, and C. Three')).toEqual(['A. One', 'B. Two', 'C. Three']);
  });

  it('drops affiliations in parentheses, nested ones too', () => {
    expect(parseAuthors('J. Doe (1), R. Roe (2) ((1) MIT, (2) ETH Zurich)')).toEqual(['J. Doe', 'R. Roe']);
    expect(parseAuthors('A. Author (Univ. of X (Dept. Y)), B. Writer')).toEqual(['A. Author', 'B. Writer']);
  });

  it('joins hard-wrapped lists and ignores "et al"', () => {
    expect(parseAuthors('A. One, B.\n  Two, et al')).toEqual(['A. One', 'B. Two']);
  });

  it('accepts an array of names and nothing else', () => {
    expect(parseAuthors([' Jane Doe ', 3, 'John Roe'])).toEqual(['Jane Doe', 'John Roe']);
    expect(parseAuthors(null)).toEqual([]);
    expect(parseAuthors({})).toEqual([]);
  });
});

describe('decodeLatex', () => {
  it.each([
    ["Bal\\'azs", 'Balázs'],
    ['M\\"uller', 'Müller'],
    ['M{\\"u}ller', 'Müller'],
    ['{\\o}rsted', 'ørsted'],
    ['\\v{S}koda', 'Škoda'],
    ['Fran\\c{c}ois', 'François'],
    ["Jos\\'{e}", 'José'],
    ['Stra\\ss e', 'Straße'],
    ['plain', 'plain'],
  ])('%s → %s', (input, output) => {
    expect(decodeLatex(input)).toBe(output);
  });
});
