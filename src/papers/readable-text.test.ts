import { describe, expect, it } from 'vitest';
import { readableText } from './readable-text.ts';

describe('readableText', () => {
  it('shows the typeset text of real arXiv abstracts', () => {
    // fragments of abstracts in ../shared/data (arXiv cs, 2026, and Hugging Face Daily Papers)
    expect(readableText('reduces latency by up to 40\\% in some settings')).toBe(
      'reduces latency by up to 40% in some settings',
    );
    expect(readableText('the Avellaneda--Stoikov framework, and the Kullback--Leibler divergence')).toBe(
      'the Avellaneda–Stoikov framework, and the Kullback–Leibler divergence',
    );
    expect(readableText('we call \\emph{Temporal Grounding Heads} (TG-Heads)')).toBe(
      'we call Temporal Grounding Heads (TG-Heads)',
    );
    expect(readableText("by treating captions as ``bags-of-words.'' We propose")).toBe(
      'by treating captions as “bags-of-words.” We propose',
    );
    expect(
      readableText('simple Q\\&A tasks; the \\texttt{validation\\_interactive} split (43{,}219 items)'),
    ).toBe('simple Q&A tasks; the validation_interactive split (43,219 items)');
    expect(readableText('the so-called {\\em magic formula}, \\textbf{\\textit{twice}} --- and more')).toBe(
      'the so-called magic formula, twice — and more',
    );
    expect(readableText('see \\url{https://x.org/a_b} or \\href{https://y.org}{our page}\\ldots')).toBe(
      'see https://x.org/a_b or our page (https://y.org)…',
    );
  });

  it('leaves math, unknown macros, flags, arrows and plain text alone', () => {
    const plain = 'A plain abstract - with a hyphen, 40% and e-mail.';
    expect(readableText(plain)).toBe(plain);
    expect(readableText('for any $s \\leq m$ and $\\textbf{x}_1$, 12\\% of \\ours')).toBe(
      'for any $s \\leq m$ and $\\textbf{x}_1$, 12% of \\ours',
    );
    expect(readableText('run it with --help or --seed 3; a --> b <-- c; ----')).toBe(
      'run it with --help or --seed 3; a --> b <-- c; ----',
    );
    expect(readableText('costs \\$5 and 3 -- 4 days')).toBe('costs $5 and 3 – 4 days');
  });

  it('never throws on hostile input, and never makes text longer', () => {
    const hostile = [
      '\\',
      '$',
      '$$$$',
      '\\textbf{',
      '\\textbf{}}}}',
      '{\\em',
      '``',
      "''",
      '\\href{}{',
      `${'\\textbf{'.repeat(5000)}x`,
      `\`\`${'a'.repeat(50_000)}`,
      `$${'\\x '.repeat(20_000)}`,
      '-'.repeat(50_000),
      '\u0002\\textbf{word}\u0003 40\\%',
    ];
    for (const text of hostile) {
      const out = readableText(text);
      expect(typeof out).toBe('string');
      expect(out.length).toBeLessThanOrEqual(text.length);
    }
    // search marks around a word survive the rewrite
    expect(readableText('\\textbf{\u0002EvoVid\u0003} gains 3\\%')).toBe('\u0002EvoVid\u0003 gains 3%');
  });
});
