import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wordsText } from '../../test/helpers/texts.ts';
import { markWords, snippetOf } from './highlight.ts';
import { termMatcher } from './tokens.ts';

const show = (s: string) => s.replaceAll('\u0002', '[').replaceAll('\u0003', ']');

describe('highlights made in TypeScript', () => {
  it('marks every form of the query words, keeping the text as it is', () => {
    const m = termMatcher(['align', 'model']);
    expect(show(markWords('Aligning Language Models: alignment of a model, Müller-aligned.', m))).toBe(
      '[Aligning] Language [Models]: [alignment] of a [model], Müller-[aligned].',
    );
    expect(markWords('<b>no match</b>', m)).toBe('<b>no match</b>');
    expect(show(markWords('Über modelle', termMatcher(['uber'])))).toBe('[Über] modelle');
  });

  it('cuts a long abstract to the window with the most query words', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    words[60] = 'sparse';
    words[63] = 'experts';
    words[10] = 'sparse';
    const text = `${words.join(' ')}.`;
    const snippet = show(snippetOf(text, termMatcher(['spars', 'expert']), 20));
    expect(snippet.startsWith('…w57 w58 w59 [sparse] w61 w62 [experts]')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.split(' ')).toHaveLength(20);
    expect(show(snippetOf('short text about experts', termMatcher(['expert']), 20))).toBe(
      'short text about [experts]',
    );
    expect(snippetOf(text, termMatcher([]), 5)).toBe('w0 w1 w2 w3 w4…');
  });

  it('marks ASCII text (its fast path) exactly as any text, word by word', () => {
    // one non-ASCII character sends a text down the word-by-word path: the two must agree
    const words = [
      'Align',
      'aligning',
      'MODELS',
      'model-based',
      'x2',
      'a',
      'of',
      'sparse',
      'Experts',
      'gpt-4',
    ];
    const text = wordsText(words, [
      ' ',
      ', ',
      '-',
      '. ',
      '\n',
      '(',
      ') ',
      '\u0011',
      '\u0000',
      '\u007f',
      '@',
      '[',
    ]);
    const terms = fc.subarray(['align', 'model', 'spars', 'expert', 'x2', 'gpt', '4', 'a']);
    fc.assert(
      fc.property(text, terms, (t, q) => {
        const m = termMatcher(q);
        expect(markWords(`${t} é`, m)).toBe(`${markWords(t, m)} é`);
        const snippet = snippetOf(t, m, 8);
        const slow = snippetOf(`${t} é`, m, 8);
        if (!slow.endsWith('…')) expect(slow).toBe(`${snippet} é`);
      }),
      { numRuns: 500 },
    );
  });
});
