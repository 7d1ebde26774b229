/** Random texts for property tests (fast-check): the given words, each followed by one of the separators. */
import fc from 'fast-check';

export function wordsText(words: string[], separators: string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...separators)))
    .map((parts) => parts.map(([word, separator]) => word + separator).join(''));
}
