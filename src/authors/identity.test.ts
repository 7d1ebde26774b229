import { describe, expect, it } from 'vitest';
import { attributePapers } from './identity.ts';
import { authorKey, couldBeSamePerson, splitName } from './names.ts';

describe('author names', () => {
  it('normalises case, accents, punctuation, whitespace and "Family, Given"', () => {
    expect(authorKey('Jürgen  Müller')).toBe('jurgen muller');
    expect(authorKey('Müller, Jürgen')).toBe('jurgen muller');
    expect(authorKey('JÜRGEN MÜLLER')).toBe('jurgen muller');
    expect(authorKey('J. Doe')).toBe('j doe');
    expect(authorKey('Jean-Luc van der Berg Jr.')).toBe('jean luc van der berg');
    expect(authorKey('Łukasz Kaiser')).toBe('lukasz kaiser');
  });

  it('splits names for citations, particles and suffixes included', () => {
    expect(splitName('Jean-Luc van der Berg Jr.')).toEqual({
      given: 'Jean-Luc',
      family: 'van der Berg',
      suffix: 'Jr.',
    });
    expect(splitName('Doe, Jane')).toEqual({ given: 'Jane', family: 'Doe', suffix: '' });
    expect(splitName('Plato')).toEqual({ given: '', family: 'Plato', suffix: '' });
  });

  it('matches initials to full names only when they fit', () => {
    expect(couldBeSamePerson('j doe', 'jane doe')).toBe(true);
    expect(couldBeSamePerson('j m doe', 'jane marie doe')).toBe(true);
    expect(couldBeSamePerson('j doe', 'mary doe')).toBe(false);
    expect(couldBeSamePerson('j m doe', 'jane doe')).toBe(false);
    expect(couldBeSamePerson('jane doe', 'john doe')).toBe(false);
  });
});

describe('attributing papers to an author page', () => {
  const papers = [
    { id: 'p1', authors: ['Jane Doe', 'Ada Lovelace'] },
    { id: 'p2', authors: ['Doe, Jane', 'Alan Turing'] },
    { id: 'p3', authors: ['J. Doe', 'Ada Lovelace'] }, // shares a co-author with p1: merged
    { id: 'p4', authors: ['J. Doe', 'Grace Hopper'] }, // shares nobody at first...
    { id: 'p5', authors: ['J. Doe', 'Ada Lovelace', 'Grace Hopper'] }, // ...until p5 links Grace Hopper
    { id: 'p6', authors: ['J. Doe', 'Someone Else'] }, // no evidence: not merged
    { id: 'p7', authors: ['Mary Doe', 'Ada Lovelace'] }, // a different person, never merged
  ];

  it('merges "J. Doe" into "Jane Doe" only through shared co-authors, following chains', () => {
    const result = attributePapers('Jane Doe', papers);
    expect(result.exact).toEqual(['p1', 'p2']);
    expect(result.merged.map((m) => m.paperId).sort()).toEqual(['p3', 'p4', 'p5']);
    expect(result.merged.every((m) => m.as === 'J. Doe')).toBe(true);
  });

  it('never merges different full names, and an abbreviation two full names could share is ambiguous', () => {
    const withJohn = [...papers, { id: 'p8', authors: ['John Doe', 'Ada Lovelace'] }];
    const jane = attributePapers('Jane Doe', withJohn);
    expect(jane.exact).toEqual(['p1', 'p2']);
    expect(jane.merged).toEqual([]);
    expect(jane.related).toContain('j doe');
    expect(jane.related).toContain('john doe');
    expect(attributePapers('Mary Doe', withJohn).exact).toEqual(['p7']);
    expect(attributePapers('Mary Doe', withJohn).merged).toEqual([]);
  });

  it("keeps an abbreviation's own page to its exact papers and names the full names it may be", () => {
    const result = attributePapers('J. Doe', papers);
    expect(result.exact).toEqual(['p3', 'p4', 'p5', 'p6']);
    expect(result.merged).toEqual([]);
    expect(result.related).toEqual(['jane doe']);
  });
});
