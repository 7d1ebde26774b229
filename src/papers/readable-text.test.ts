import { describe, expect, it } from 'vitest';
import { readableParts, readableText } from './readable-text.ts';

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

describe('readableParts', () => {
  it('splits prose from $…$ and $$…$$ math, rewriting only the prose', () => {
    expect(readableParts('40\\% of $x_1$ and $$\\sum_i a_i$$ -- done')).toEqual([
      { prose: '40% of ' },
      { math: 'x_1' },
      { prose: ' and ' },
      { math: '\\sum_i a_i' },
      { prose: ' – done' },
    ]);
    expect(readableParts('no math at all')).toEqual([{ prose: 'no math at all' }]);
    expect(readableParts('$\\alpha$')).toEqual([{ math: '\\alpha' }]);
  });

  it('keeps money as text: one dollar sign, or words between two', () => {
    // 2605.22462 in ../shared/data: "$8.96 per 1000 queries against a $…"
    expect(readableParts('costs $8.96 per 1000 queries against a $20 plan; $n$ runs')).toEqual([
      { prose: 'costs $8.96 per 1000 queries against a $20 plan; ' },
      { math: 'n' },
      { prose: ' runs' },
    ]);
    expect(readableParts('for as little as $15, while')).toEqual([{ prose: 'for as little as $15, while' }]);
    expect(readableParts('with $\\text{two words}$ inside')[1]).toEqual({ math: '\\text{two words}' });
  });
});
