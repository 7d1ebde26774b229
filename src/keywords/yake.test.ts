import { describe, expect, it } from 'vitest';
import { extractKeyphrases, markPhrases } from './yake.ts';

// a real abstract (arXiv 1706.03762, "Attention Is All You Need")
const title = 'Attention Is All You Need';
const abstract =
  'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks ' +
  'in an encoder-decoder configuration. The best performing models also connect the encoder and decoder through ' +
  'an attention mechanism. We propose a new simple network architecture, the Transformer, based solely on ' +
  'attention mechanisms, dispensing with recurrence and convolutions entirely. Experiments on two machine ' +
  'translation tasks show these models to be superior in quality while being more parallelizable and requiring ' +
  'significantly less time to train. Our model achieves 28.4 BLEU on the WMT 2014 English-to-German translation ' +
  'task, improving over the existing best results, including ensembles by over 2 BLEU.';

describe('YAKE keyphrases', () => {
  it('finds the phrases of a real abstract, best first (golden)', () => {
    expect(extractKeyphrases(title, abstract)).toMatchInlineSnapshot(`
      [
        "attention",
        "models",
        "encoder-decoder configuration",
        "dominant sequence transduction",
        "bleu",
        "transformer",
        "complex recurrent",
        "convolutional neural networks",
      ]
    `);
  });

  it('never starts or ends a phrase with a stop word, never repeats one, and copes with nothing', () => {
    const phrases = extractKeyphrases(title, abstract, { top: 20 });
    for (const p of phrases) expect(p).not.toMatch(/^(the|of|and|we|a) |\s(the|of|and|a)$/);
    expect(new Set(phrases).size).toBe(phrases.length);
    expect(extractKeyphrases('', '')).toEqual([]);
    expect(extractKeyphrases('$$$', '12 34 ,,, ... !!!')).toEqual([]);
  });

  it('marks phrases in text as whole words, any case, regex characters literal', () => {
    expect(
      markPhrases('The Transformer uses attention mechanisms.', ['attention mechanism', 'transformer']),
    ).toEqual([
      { text: 'The ', phrase: false },
      { text: 'Transformer', phrase: true },
      { text: ' uses attention mechanisms.', phrase: false },
    ]);
    expect(markPhrases('a (b+) c', ['(b+)']).map((p) => p.phrase)).toEqual([false, true, false]);
    expect(markPhrases('c++ and c', ['c++'])).toEqual([
      { text: 'c++', phrase: true },
      { text: ' and c', phrase: false },
    ]);
    expect(markPhrases('abc', [])).toEqual([{ text: 'abc', phrase: false }]);
  });
});
