import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ftsMatch } from './fts5.sqlite.ts';
import { dateBound, isSearchable, MAX_TERMS, parseQuery } from './query-parse.ts';

const all = (q: string) => ftsMatch(parseQuery(q), 'all');
const any = (q: string) => ftsMatch(parseQuery(q), 'any');

describe('parseQuery and ftsMatch: golden queries', () => {
  const golden: [string, string | null][] = [
    ['sparse experts', '"sparse" AND "experts"'],
    ['"mixture of experts" -vision', '"mixture of experts" NOT "vision"'],
    ['diffusion OR flow matching', '("diffusion" OR "flow") AND "matching"'],
    ['a OR b OR c', '("a" OR "b" OR "c")'],
    ['author:hinton capsules', '"capsules" AND authors : "hinton"'],
    ['author:"Yann LeCun"', 'authors : "yann lecun"'],
    ['cat:cs.CL translation', '"translation" AND categories : "cs cl"'],
    ['-"image generation" video', '"video" NOT "image generation"'],
    ['GPT-4 evaluation', '"gpt 4" AND "evaluation"'],
    ['the attention of transformers', '"attention" AND "transformers"'],
    ['the of', '"the" AND "of"'],
    ['Müller', '"müller"'],
    ['year:2024 llm', '"llm"'],
    ['year:soon', '"year soon"'],
    ['foo:bar', '"foo bar"'],
    ['title:foo NEAR(a b) c* ^d', '"title foo" AND "near a" AND "b" AND "c" AND "d"'],
    ['"unbalanced quote', '"unbalanced" AND "quote"'],
    ['OR', null],
    ['OR OR word', '"word"'],
    ['-only -excluded', null],
    ['  *** ', null],
    ['()', null],
    ['-author:smith graphs', '"graphs" NOT "smith"'],
  ];
  for (const [input, expected] of golden) {
    it(`${JSON.stringify(input)} → ${expected}`, () => expect(all(input)).toBe(expected));
  }

  it('any-word mode ORs the content but keeps filters and exclusions', () => {
    expect(any('sparse experts -vision author:shazeer')).toBe(
      '("sparse" OR "experts") AND authors : "shazeer" NOT "vision"',
    );
    expect(ftsMatch(parseQuery('sparse experts'), 'all', [], 'title')).toBe(
      'title : ("sparse" AND "experts")',
    );
    expect(ftsMatch(parseQuery('sparse experts'), 'any', [['cs', 'lg']], 'title')).toBe(
      'title : ("sparse" OR "experts") AND categories : "cs lg"',
    );
  });

  it('reads dates as inclusive ranges and keeps the narrowest', () => {
    expect(parseQuery('year:2024')).toMatchObject({ after: '2024-01-01', before: '2024-12-31' });
    expect(parseQuery('after:2024-02 before:2024-02')).toMatchObject({
      after: '2024-02-01',
      before: '2024-02-29',
    });
    expect(parseQuery('after:2020 after:2022-06-15')).toMatchObject({ after: '2022-06-15' });
    expect(dateBound('2023-02-29', 'start')).toBeNull();
    expect(dateBound('2023-13', 'end')).toBeNull();
    expect(dateBound('1066', 'end')).toBeNull();
    expect(parseQuery('before:yesterday').groups).toHaveLength(1);
  });

  it('knows a query that only filters from one that asks nothing', () => {
    expect(isSearchable(parseQuery('author:bengio'))).toBe(true);
    expect(isSearchable(parseQuery('year:2024'))).toBe(false);
    expect(isSearchable(parseQuery('-x'))).toBe(false);
  });

  it('keeps at most MAX_TERMS terms of a pasted paragraph', () => {
    const q = parseQuery(Array.from({ length: 100 }, (_, i) => `word${i}`).join(' '));
    expect(q.groups).toHaveLength(MAX_TERMS);
  });
});

describe('any input', () => {
  it('never throws, and gives FTS5 only quoted letters and digits, column filters, AND, OR, NOT and brackets, which FTS5 accepts', () => {
    const db = new BetterSqlite3(':memory:');
    db.exec(
      "CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, authors, categories, tokenize = 'porter unicode61 remove_diacritics 2')",
    );
    db.exec("INSERT INTO papers_fts VALUES ('a title', 'an abstract', 'Ada Lovelace', 'cs.CL')");
    const run = db.prepare('SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?').pluck();
    const syntax = fc.constantFrom(
      '"',
      '(',
      ')',
      '*',
      '^',
      ':',
      '-',
      'NEAR',
      'OR',
      'AND',
      'NOT',
      '+',
      '{',
      '}',
      ' ',
    );
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      syntax,
      fc.constantFrom('author:', 'cat:', 'year:'),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')),
        (input) => {
          const parsed = parseQuery(input);
          for (const [mode, column] of [
            ['all', null],
            ['any', null],
            ['all', 'title'],
            ['any', 'title'],
          ] as const) {
            const match = ftsMatch(parsed, mode, [['cs', 'cl']], column);
            if (match === null) continue;
            const outside = match
              .replace(/"[\p{L}\p{N} ]*"/gu, '')
              .replace(/\b(AND|NOT|OR|title|authors|categories)\b/g, '')
              .replace(/ : /g, '');
            expect(outside).toMatch(/^[\s()]*$/);
            expect(() => run.get(match)).not.toThrow();
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
