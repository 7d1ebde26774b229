import { parse } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { type CitationPaper, citationKey, toBibtex, toBibtexList, toCslItem, toRis } from './formats.ts';

const paper: CitationPaper = {
  id: '2502.08025',
  version: 2,
  title: 'Attention & {Braces}: 50% of $\\alpha$_1 #tags ~ ^ \\ in Müller’s “world”',
  authors: ['Jane Doe', 'Jean-Luc van der Berg Jr.', 'Zoë Ångström', 'ATLAS'],
  abstract: 'We study\nthings.',
  categories: ['cs.CL', 'cs.AI'],
  publishedAt: '2025-02-11T00:00:00.000Z',
  doi: '10.1000/xyz_123',
  journalRef: 'Journal of Things 12 (2025) 1-10',
};

describe('BibTeX', () => {
  it('parses back with a BibTeX parser: same title, authors, year and arXiv fields', () => {
    // no sentence-casing: compare the title as written
    const result = parse(toBibtex(paper), { sentenceCase: false });
    expect(result.errors).toEqual([]);
    expect(result.entries).toHaveLength(1);
    const entry = result.entries[0]!;
    expect(entry.type).toBe('misc');
    expect(entry.key).toBe('doe2025attention');
    // the parser turns LaTeX back into text: every special character round-trips
    expect(entry.fields.title).toBe(
      'Attention & {Braces}: 50% of $\\alpha$_1 #tags ~ ^ \\ in Müller’s “world”',
    );
    expect(entry.fields.author).toEqual([
      { lastName: 'Doe', firstName: 'Jane' },
      { lastName: 'Berg', prefix: 'van der', firstName: 'Jean-Luc', suffix: 'Jr.' },
      { lastName: 'Ångström', firstName: 'Zoë' },
      { name: 'ATLAS' },
    ]);
    expect(entry.fields.year).toBe('2025');
    expect(entry.fields.eprint).toBe('2502.08025');
    expect(entry.fields.archiveprefix).toBe('arXiv');
    expect(entry.fields.primaryclass).toBe('cs.CL');
    expect(entry.fields.doi).toBe('10.1000/xyz_123');
    expect(entry.fields.url).toBe('https://arxiv.org/abs/2502.08025');
  });

  it('keeps old-style ids and papers with no authors or date valid', () => {
    const old = {
      ...paper,
      id: 'hep-th/9901001',
      authors: [],
      publishedAt: null,
      doi: null,
      journalRef: null,
    };
    const result = parse(toBibtex(old));
    expect(result.errors).toEqual([]);
    expect(result.entries[0]!.fields.eprint).toBe('hep-th/9901001');
    expect(citationKey(old)).toBe('anonattention');
  });

  it('makes keys unique in a list', () => {
    const result = parse(toBibtexList([paper, { ...paper, id: '2502.08026' }, paper]));
    expect(result.errors).toEqual([]);
    expect(result.entries.map((e) => e.key)).toEqual([
      'doe2025attention',
      'doe2025attentionb',
      'doe2025attentionc',
    ]);
  });

  it("cites arXiv's LaTeX as it reads, not as a literal backslash", () => {
    const latex = {
      ...paper,
      title: 'Kullback--Leibler bounds for 40\\% of \\emph{cases}',
      abstract: 'Up to 3\\% better -- see \\textbf{Table 1}.',
    };
    const reads = 'Kullback–Leibler bounds for 40% of cases';
    const entry = parse(toBibtex(latex), { sentenceCase: false }).entries[0]!;
    expect(entry.fields.title).toBe(reads);
    expect(toRis(latex)).toContain(`TI  - ${reads}\r\n`);
    expect(toRis(latex)).toContain('AB  - Up to 3% better – see Table 1.\r\n');
    expect(toCslItem(latex)).toMatchObject({ title: reads, abstract: 'Up to 3% better – see Table 1.' });
  });

  it('survives hostile titles: unbalanced braces, backslashes, control characters', () => {
    for (const title of ['}}}{{{', '\\end{document}', '@misc{x,', 'a\u0000b\u001fc', '%'.repeat(50)]) {
      const result = parse(toBibtex({ ...paper, title }));
      expect(result.errors, title).toEqual([]);
      expect(result.entries).toHaveLength(1);
    }
  });
});

describe('RIS', () => {
  it('tags every field on its own line and ends the record', () => {
    const ris = toRis(paper);
    const lines = ris.split('\r\n');
    expect(lines[0]).toBe('TY  - GEN');
    expect(lines).toContain('AU  - Doe, Jane');
    expect(lines).toContain('AU  - van der Berg, Jean-Luc, Jr.');
    expect(lines).toContain('PY  - 2025');
    expect(lines).toContain('DA  - 2025/02/11');
    expect(lines).toContain('AB  - We study things.');
    expect(lines).toContain('UR  - https://arxiv.org/abs/2502.08025');
    expect(lines).toContain('DO  - 10.1000/xyz_123');
    expect(lines.at(-2)).toBe('ER  - ');
    for (const line of lines.filter(Boolean)) expect(line).toMatch(/^[A-Z][A-Z0-9] {2}- /);
  });
});

describe('CSL-JSON', () => {
  it('has id, type, title, authors as family/given and issued date parts', () => {
    const item = toCslItem(paper);
    expect(item).toMatchObject({
      id: 'arXiv:2502.08025',
      type: 'article',
      title: paper.title,
      issued: { 'date-parts': [[2025, 2, 11]] },
      URL: 'https://arxiv.org/abs/2502.08025',
      DOI: '10.1000/xyz_123',
      number: '2502.08025',
    });
    expect(item.author).toEqual([
      { family: 'Doe', given: 'Jane' },
      { family: 'van der Berg', given: 'Jean-Luc', suffix: 'Jr.' },
      { family: 'Ångström', given: 'Zoë' },
      { literal: 'ATLAS' },
    ]);
  });
});
