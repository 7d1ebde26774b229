import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prefersMarkdown } from './accept.ts';

describe('prefersMarkdown', () => {
  it('answers markdown to those who ask for it, the page to browsers', () => {
    expect(prefersMarkdown('text/markdown')).toBe(true);
    expect(prefersMarkdown('text/markdown, text/html;q=0.5')).toBe(true);
    expect(prefersMarkdown('TEXT/X-MARKDOWN')).toBe(true);
    expect(prefersMarkdown('text/markdown, */*;q=0.1')).toBe(true);
    expect(
      prefersMarkdown('text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8'),
    ).toBe(false);
    expect(prefersMarkdown('text/html, text/markdown')).toBe(false);
    expect(prefersMarkdown('text/markdown;q=0.5, text/html')).toBe(false);
    expect(prefersMarkdown('text/markdown;q=0')).toBe(false);
    expect(prefersMarkdown('text/*, text/markdown')).toBe(false);
    expect(prefersMarkdown('*/*')).toBe(false);
    expect(prefersMarkdown(undefined)).toBe(false);
    expect(prefersMarkdown('')).toBe(false);
  });

  it('reads a malformed header as not said, and never throws', () => {
    for (const accept of [
      'text/markdown;q=abc',
      'text/markdown;q=2',
      'text/markdown;q=-1',
      ';;;,,,markdown',
      'text/markdown;q=1e9',
      `${'text/html,'.repeat(5000)}text/markdown`,
      'text/markdown\u0000',
    ]) {
      expect(typeof prefersMarkdown(accept)).toBe('boolean');
    }
    expect(prefersMarkdown('text/markdown;q=abc')).toBe(false);
    expect(prefersMarkdown('text/markdown;q=2')).toBe(false);
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => typeof prefersMarkdown(s) === 'boolean'));
  });
});
