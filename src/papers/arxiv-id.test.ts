import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalArxivId, parseArxivId } from './arxiv-id.ts';

describe('parseArxivId', () => {
  it.each([
    ['2312.07000', '2312.07000', null],
    ['2312.07000v3', '2312.07000', 3],
    ['0704.0001', '0704.0001', null],
    ['1412.6980v9', '1412.6980', 9],
    ['arXiv:1706.03762v7', '1706.03762', 7],
    ['  arxiv: 2501.00001  ', '2501.00001', null],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['hep-th/9901001v2', 'hep-th/9901001', 2],
    ['math.GT/0309136', 'math/0309136', null],
    ['cond-mat/0702661v2', 'cond-mat/0702661', 2],
    ['https://arxiv.org/abs/2312.07000', '2312.07000', null],
    ['https://arxiv.org/abs/2312.07000v2?context=cs#x', '2312.07000', 2],
    ['http://arxiv.org/pdf/2312.07000v1.pdf', '2312.07000', 1],
    ['https://arxiv.org/pdf/2312.07000', '2312.07000', null],
    ['https://arxiv.org/html/2312.07000v2', '2312.07000', 2],
    ['https://www.arxiv.org/abs/hep-th/9901001v1', 'hep-th/9901001', 1],
    ['https://export.arxiv.org/abs/astro-ph/0601001', 'astro-ph/0601001', null],
    ['arxiv.org/abs/2401.12345', '2401.12345', null],
    ['https://huggingface.co/papers/2502.08025', '2502.08025', null],
    ['https://hf.co/papers/2502.08025', '2502.08025', null],
    ['https://www.alphaxiv.org/abs/2502.08025v1', '2502.08025', 1],
    ['https://alphaxiv.org/overview/2502.08025', '2502.08025', null],
    ['https://doi.org/10.48550/arXiv.2312.07000', '2312.07000', null],
    ['10.48550/arXiv.2312.07000', '2312.07000', null],
  ])('%s → %s v%s', (input, id, version) => {
    expect(parseArxivId(input)).toEqual({ ok: true, value: { id, version } });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['abc', /not an arXiv id/],
    ['2313.07000', /no month 13/],
    ['2300.07000', /no month 00/],
    ['1412.12345', /4 digits/],
    ['2312.0700', /5 digits/],
    ['0612.1234', /April 2007/],
    ['2312.07000v0', /start at v1/],
    ['foo-th/9901001', /not an arXiv archive/],
    ['hep-th/1201001', /end in March 2007/],
    ['hep-th/0704001', /end in March 2007/],
    ['https://example.com/abs/2312.07000', /not an arXiv/],
    ['https://arxiv.org/list/cs.AI/new', /no paper id/],
    ['https://huggingface.co/papers', /no paper id/],
    ['https://arxiv.org/abs/%E0%A4%A', /not valid/],
    ['2312.07000; DROP TABLE papers', /not an arXiv id/],
    ['x'.repeat(5000), /too long/],
  ])('rejects %.40s', (input, reason) => {
    const result = parseArxivId(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('rejects what is not text', () => {
    for (const value of [null, undefined, 42, {}, ['2312.07000']]) expect(parseArxivId(value).ok).toBe(false);
  });

  it('never throws and only returns canonical ids, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webUrl(), fc.string({ unit: 'grapheme' })),
        (input) => {
          const result = parseArxivId(input);
          if (result.ok) expect(result.value.id).toMatch(/^(\d{4}\.\d{4,5}|[a-z-]+\/\d{7})$/);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('round-trips every valid new-style id it produces', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1501, max: 9912 }), fc.integer({ min: 0, max: 99999 }), (yymm, n) => {
        fc.pre(yymm % 100 >= 1 && yymm % 100 <= 12);
        const id = `${String(yymm).padStart(4, '0')}.${String(n).padStart(5, '0')}`;
        expect(canonicalArxivId(`https://arxiv.org/abs/${id}v2`)).toBe(id);
      }),
    );
  });
});
