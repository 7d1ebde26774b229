import { splitName } from '../authors/names.ts';
import type { Paper } from '../papers/paper.ts';
import { readableText } from '../papers/readable-text.ts';

/**
 * Citations of arXiv papers in the three formats reference managers import: BibTeX, RIS and CSL-JSON. Pure.
 * Every entry names the arXiv id (eprint / arXiv: note / number), the arXiv URL and the DOI when there is one.
 */
export type CitationPaper = Pick<
  Paper,
  'id' | 'title' | 'authors' | 'abstract' | 'categories' | 'publishedAt' | 'doi' | 'journalRef' | 'version'
>;

export type CitationFormat = 'bib' | 'ris' | 'csl';

export const CITATION_CONTENT_TYPES: Record<CitationFormat, string> = {
  bib: 'application/x-bibtex; charset=utf-8',
  ris: 'application/x-research-info-systems; charset=utf-8',
  csl: 'application/vnd.citationstyles.csl+json; charset=utf-8',
};

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // in TeX's OT1 encoding < and > print as ¡ and ¿
  '<': '\\textless{}',
  '>': '\\textgreater{}',
};

/**
 * Text → a BibTeX field value: LaTeX's special characters escaped, so braces always balance and nothing is
 * read as a command. Titles in arXiv often carry LaTeX math ($\alpha$); it is escaped too (a citation must
 * never break a bibliography). The formats below first rewrite the markup whose meaning is certain (`40\%` → 40%,
 * `--` → –: papers/readable-text.ts), so it is not escaped into a literal backslash. Non-ASCII stays UTF-8 (biber and bibtex8 read it).
 * @example bibtexEscape('50% of {x}') // '50\\% of \\{x\\}'
 */
export function bibtexEscape(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/[\\{}&%$#_~^<>]/g, (ch) => LATEX_SPECIALS[ch]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** "doe2025attention": first author's family name, year, first long title word; ASCII letters and digits. */
export function citationKey(paper: CitationPaper): string {
  const ascii = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase();
  const family = ascii(splitName(paper.authors[0] ?? '').family) || 'anon';
  const year = paper.publishedAt?.slice(0, 4) ?? '';
  const word = paper.title
    .split(/\s+/)
    .map(ascii)
    .find((w) => w.length > 3 && !STOP.has(w));
  return `${family}${year}${word ?? ''}` || `arxiv${ascii(paper.id)}`;
}
const STOP = new Set(['with', 'from', 'that', 'this', 'towards', 'toward', 'into', 'what', 'when', 'your']);

function bibtexName(name: string): string {
  const parts = splitName(name);
  if (!parts.given) return `{${bibtexEscape(parts.family)}}`;
  const family = bibtexEscape(parts.family);
  const suffix = parts.suffix ? `, ${bibtexEscape(parts.suffix)}` : '';
  return `${family}${suffix}, ${bibtexEscape(parts.given)}`;
}

/** One @misc entry, as arXiv itself exports them (eprint, archivePrefix, primaryClass). */
export function toBibtex(paper: CitationPaper): string {
  const fields: [string, string][] = [
    ['title', `{${bibtexEscape(readableText(paper.title))}}`],
    ['author', paper.authors.map(bibtexName).join(' and ')],
  ];
  if (paper.publishedAt) {
    fields.push(['year', paper.publishedAt.slice(0, 4)]);
    fields.push(['month', MONTHS[Number(paper.publishedAt.slice(5, 7)) - 1] ?? '']);
  }
  fields.push(['eprint', paper.id], ['archivePrefix', 'arXiv']);
  if (paper.categories[0]) fields.push(['primaryClass', paper.categories[0]]);
  // doi is a verbatim field (biblatex): no escapes, but nothing that could unbalance the entry
  if (paper.doi) fields.push(['doi', paper.doi.replace(/[{}\\\s\p{Cc}]/gu, '')]);
  if (paper.journalRef) fields.push(['note', bibtexEscape(paper.journalRef)]);
  fields.push(['url', `https://arxiv.org/abs/${paper.id}`]);
  const body = fields
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `  ${k} = {${v}}`)
    .join(',\n');
  return `@misc{${citationKey(paper)},\n${body}\n}\n`;
}
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Several entries; keys made unique with a, b, c… as BibTeX styles do. */
export function toBibtexList(papers: CitationPaper[]): string {
  const seen = new Map<string, number>();
  return papers
    .map((p) => {
      const entry = toBibtex(p);
      const key = citationKey(p);
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      return n === 0
        ? entry
        : entry.replace(
            `@misc{${key},`,
            `@misc{${key}${String.fromCharCode(97 + (n % 26))}${n >= 26 ? n : ''},`,
          );
    })
    .join('\n');
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** RIS (the format of Research Information Systems, read by Zotero, EndNote, Mendeley): tagged lines, CRLF. */
export function toRis(paper: CitationPaper): string {
  const lines: string[] = ['TY  - GEN'];
  for (const name of paper.authors) {
    const p = splitName(name);
    lines.push(
      `AU  - ${oneLine(p.given ? `${p.family}, ${p.given}${p.suffix ? `, ${p.suffix}` : ''}` : p.family)}`,
    );
  }
  lines.push(`TI  - ${oneLine(readableText(paper.title))}`);
  if (paper.publishedAt) {
    lines.push(`PY  - ${paper.publishedAt.slice(0, 4)}`);
    lines.push(`DA  - ${paper.publishedAt.slice(0, 10).replace(/-/g, '/')}`);
  }
  if (paper.abstract) lines.push(`AB  - ${oneLine(readableText(paper.abstract))}`);
  for (const cat of paper.categories) lines.push(`KW  - ${cat}`);
  lines.push('PB  - arXiv', `M1  - arXiv:${paper.id}`, `UR  - https://arxiv.org/abs/${paper.id}`);
  if (paper.doi) lines.push(`DO  - ${oneLine(paper.doi)}`);
  if (paper.journalRef) lines.push(`N1  - ${oneLine(paper.journalRef)}`);
  lines.push('ER  - ', '');
  return lines.join('\r\n');
}

export function toRisList(papers: CitationPaper[]): string {
  return papers.map(toRis).join('\r\n');
}

/** A CSL-JSON item (the Citation Style Language's data model; citeproc and Zotero read it). */
export function toCslItem(paper: CitationPaper): Record<string, unknown> {
  const issued = paper.publishedAt
    ? {
        'date-parts': [
          [
            Number(paper.publishedAt.slice(0, 4)),
            Number(paper.publishedAt.slice(5, 7)),
            Number(paper.publishedAt.slice(8, 10)),
          ],
        ],
      }
    : undefined;
  return {
    id: `arXiv:${paper.id}`,
    type: 'article',
    title: readableText(paper.title),
    author: paper.authors.map((name) => {
      const p = splitName(name);
      return p.given
        ? { family: p.family, given: p.given, ...(p.suffix ? { suffix: p.suffix } : {}) }
        : { literal: p.family };
    }),
    ...(issued ? { issued } : {}),
    abstract: paper.abstract ? readableText(paper.abstract) : undefined,
    publisher: 'arXiv',
    number: paper.id,
    ...(paper.version ? { version: String(paper.version) } : {}),
    URL: `https://arxiv.org/abs/${paper.id}`,
    ...(paper.doi ? { DOI: paper.doi } : {}),
    ...(paper.journalRef ? { note: paper.journalRef } : {}),
    keyword: paper.categories.join(', ') || undefined,
  };
}

export function toCslJson(papers: CitationPaper[]): string {
  return `${JSON.stringify(papers.map(toCslItem), null, 2)}\n`;
}

/** A paper in one format, as a file body. */
export function renderCitations(format: CitationFormat, papers: CitationPaper[]): string {
  if (format === 'bib') return toBibtexList(papers);
  if (format === 'ris') return toRisList(papers);
  return toCslJson(papers);
}
