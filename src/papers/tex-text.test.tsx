import { describe, expect, it } from 'vitest';
import { PaperCard } from '../site/paper-card.tsx';
import { tex, texExcerpt, typeset } from './tex-text.tsx';

const html = async (node: unknown) => String(await (node as Promise<string> | string));

describe('typeset math', () => {
  it('typesets formulas of real abstracts, with MathML for screen readers', async () => {
    const out = await html(<p>{tex('a $2^s m^{s-1}$ bound for $s \\leq m$ in 40\\% of runs')}</p>);
    expect(out).toContain('<span class="katex">');
    expect(out).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML">');
    expect(out).toContain('≤');
    expect(out).toContain('in 40% of runs');
    expect(out).not.toContain('$');
  });

  it('shows TeX it cannot parse as its source, and never links, runs or escapes anything', async () => {
    const hostile = [
      '\\href{javascript:alert(1)}{click}',
      '\\url{javascript:alert(1)}',
      '\\htmlClass{x}{y} \\htmlStyle{color:red}{y} \\htmlId{x}{y} \\htmlData{a=b}{y}',
      '\\def\\a{\\a\\a}\\a',
      '\\rule{100000em}{100000em}',
      '\\frac{1}{',
      '</span><script>alert(1)</script>',
      '\\text{<img src=x onerror=alert(2)>}',
      '{'.repeat(200),
      '\\begin{array}',
    ];
    for (const source of hostile) {
      const out = await html(<p>{tex(`before $${source}$ after`)}</p>);
      expect(out).toContain('before ');
      expect(out).toContain(' after');
      // KaTeX's own markup only: no tag of the input, no link, no event handler
      expect(out).not.toMatch(/<script|<img|<a[\s>]|\shref=|<[^>]*\son\w+=/i);
    }
    expect(typeset('\\frac{1}{')).toContain('katex-error');
  });

  it('cuts a card excerpt at a space, never inside a formula', () => {
    // a formula that starts early in the excerpt is kept whole, even past the length
    const sum = Array.from({ length: 30 }, (_, i) => `x_{${i}}`).join('+');
    const early = texExcerpt(`${'word '.repeat(20)}then $${sum}$ and more words after it.`);
    expect(early.head).toEqual([{ prose: `${'word '.repeat(20)}then ` }, { math: sum }]);
    expect(early.rest).toEqual([{ prose: ' and more words after it.' }]);
    // one that starts late goes to the rest whole
    const late = texExcerpt(`${'word '.repeat(47)}x $\\sum_{i=1}^{n} x_i^2$ end`);
    expect(late.head).toEqual([{ prose: `${'word '.repeat(47)}x ` }]);
    expect(late.rest).toEqual([{ math: '\\sum_{i=1}^{n} x_i^2' }, { prose: ' end' }]);
    // prose is cut at the last space that keeps 60 %
    const prose = texExcerpt(`${'word '.repeat(60)}`);
    expect(prose.head).toEqual([{ prose: `${'word '.repeat(47)}word` }]);
    const short = texExcerpt('short $x$');
    expect(short.rest).toEqual([]);
    expect(texExcerpt(`${'longword'.repeat(40)}`).head).toEqual([{ prose: 'longword'.repeat(30) }]);
  });

  it('shows typeset titles and abstracts on the card', async () => {
    const card = await html(
      <PaperCard
        paper={
          {
            id: '2406.00153',
            title: '$\\mu$LO: Learned Optimizers',
            abstract: 'We extend $\\mu$P to learned optimizers, in 40\\% less time.',
            authors: ['A. Author'],
            categories: ['cs.LG'],
            upvotes: 2,
            numComments: 0,
            publishedAt: '2024-05-31',
          } as never
        }
      />,
    );
    expect(card.match(/<span class="katex">/g)).toHaveLength(2);
    expect(card).toContain('in 40% less time.');
  });

  it('typesets the math of a search result title and keeps the marks of the words around it', async () => {
    const card = await html(
      <PaperCard
        paper={
          {
            id: '2406.00153',
            title: 'x',
            abstract: '',
            authors: [],
            categories: [],
            upvotes: 0,
            numComments: 0,
          } as never
        }
        marked={{
          title:
            '$\\mu$\u0002LO\u0003: \u0002Learned\u0003 Optimizers in $\\mathbf{\u0002x\u0003}$ -- and $8 per \u0002query\u0003 vs $9',
          summary: 'a \u0002learned\u0003 optimizer',
        }}
      />,
    );
    expect(card.match(/<span class="katex">/g)).toHaveLength(2);
    expect(card).toContain('<mark>LO</mark>: <mark>Learned</mark> Optimizers in ');
    expect(card).toContain('<annotation encoding="application/x-tex">\\mathbf{x}</annotation>');
    expect(card).toContain(' – and $8 per <mark>query</mark> vs $9');
    expect(card).not.toContain('\u0002');
    expect(card).not.toContain('\u0003');
  });
});
