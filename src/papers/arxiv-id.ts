/**
 * arXiv identifiers: the two schemes arXiv has used, and the URLs people paste.
 *
 * - New scheme (April 2007 on): `YYMM.NNNN` until 2014, `YYMM.NNNNN` from 1501 on, optional `vN`.
 * - Old scheme (1991–March 2007): `archive[.SUBJ]/YYMMNNN`, e.g. `hep-th/9901001`, `math.GT/0309136`.
 *   The subject class is not part of the identifier; arXiv redirects `math.GT/0309136` to `math/0309136`.
 * Source: https://info.arxiv.org/help/arxiv_identifier.html
 *
 * @example parseArxivId('https://arxiv.org/pdf/2312.07000v2.pdf') // { id: '2312.07000', version: 2 }
 */
export interface ArxivId {
  /** canonical id without version: `2312.07000`, `hep-th/9901001` */
  id: string;
  /** the version asked for, or null when none was given */
  version: number | null;
}

export type ParseResult = { ok: true; value: ArxivId } | { ok: false; reason: string };

/** The archives of the old scheme (arXiv identifier help page, "old style"). */
const OLD_ARCHIVES = new Set([
  'acc-phys',
  'adap-org',
  'alg-geom',
  'ao-sci',
  'astro-ph',
  'atom-ph',
  'bayes-an',
  'chao-dyn',
  'chem-ph',
  'cmp-lg',
  'comp-gas',
  'cond-mat',
  'cs',
  'dg-ga',
  'funct-an',
  'gr-qc',
  'hep-ex',
  'hep-lat',
  'hep-ph',
  'hep-th',
  'math',
  'math-ph',
  'mtrl-th',
  'nlin',
  'nucl-ex',
  'nucl-th',
  'patt-sol',
  'physics',
  'plasm-ph',
  'q-alg',
  'q-bio',
  'quant-ph',
  'solv-int',
  'supr-con',
]);

const MAX_INPUT_LENGTH = 2048;
const NEW_ID = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d{1,4}))?$/;
const OLD_ID = /^([a-z-]+)(?:\.([A-Za-z-]{2,}))?\/(\d{2})(\d{2})(\d{3})(?:v(\d{1,4}))?$/;

/** Hosts whose paper URLs carry an arXiv id in the path, and the path prefixes that precede it. */
const URL_HOSTS: Record<string, string[]> = {
  'arxiv.org': ['abs', 'pdf', 'html', 'format', 'ps', 'src'],
  'export.arxiv.org': ['abs', 'pdf', 'html'],
  'browse.arxiv.org': ['abs', 'pdf', 'html'],
  'huggingface.co': ['papers'],
  'hf.co': ['papers'],
  'alphaxiv.org': ['abs', 'overview', 'pdf'],
  'doi.org': [],
};

/**
 * Reads an arXiv id in any form people use: a bare id, `arXiv:` prefixed, or a URL of arXiv,
 * Hugging Face Papers, alphaXiv or the arXiv DOI (`10.48550/arXiv.2312.07000`).
 * Pure; never throws.
 */
export function parseArxivId(input: unknown): ParseResult {
  if (typeof input !== 'string') return fail('an arXiv id must be text');
  if (input.length > MAX_INPUT_LENGTH) return fail('too long to be an arXiv id or URL');
  let text = input.trim();
  if (text === '') return fail('empty arXiv id');
  if (
    /^https?:\/\//i.test(text) ||
    /^(www\.)?[a-z.]*(arxiv\.org|huggingface\.co|hf\.co|alphaxiv\.org)\//i.test(text)
  ) {
    const fromUrl = idFromUrl(text);
    if (!fromUrl.ok) return fromUrl;
    text = fromUrl.value;
  }
  text = text.replace(/^arxiv:\s*/i, '').replace(/^10\.48550\/arxiv\./i, '');
  return parseBareId(text);
}

/** Like parseArxivId, but returns the canonical id or null. */
export function canonicalArxivId(input: unknown): string | null {
  const parsed = parseArxivId(input);
  return parsed.ok ? parsed.value.id : null;
}

function parseBareId(text: string): ParseResult {
  const m = NEW_ID.exec(text);
  if (m) {
    const [, yy, mm, num, v] = m as unknown as [string, string, string, string, string | undefined];
    const month = Number(mm);
    const yymm = Number(yy + mm);
    if (month < 1 || month > 12) return fail(`"${text}" has no month ${mm}`);
    if (yymm < 704) return fail(`"${text}": new-style ids start in April 2007 (0704)`);
    if (yymm < 1501 && num.length !== 4)
      return fail(`"${text}": ids before 2015 have 4 digits after the dot`);
    if (yymm >= 1501 && num.length !== 5)
      return fail(`"${text}": ids from 2015 on have 5 digits after the dot`);
    return ok(`${yy}${mm}.${num}`, v);
  }
  const o = OLD_ID.exec(text);
  if (o) {
    const [, archive, , yy, mm, num, v] = o as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!OLD_ARCHIVES.has(archive)) return fail(`"${archive}" is not an arXiv archive`);
    const month = Number(mm);
    const year = Number(yy);
    if (month < 1 || month > 12) return fail(`"${text}" has no month ${mm}`);
    if (year < 91 && (year > 7 || (year === 7 && month > 3))) {
      return fail(`"${text}": old-style ids end in March 2007`);
    }
    return ok(`${archive}/${yy}${mm}${num}`, v);
  }
  return fail(`"${text.slice(0, 80)}" is not an arXiv id (expected e.g. 2312.07000 or hep-th/9901001)`);
}

function idFromUrl(text: string): { ok: true; value: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const prefixes = URL_HOSTS[host];
  if (!prefixes) return { ok: false, reason: `${host} is not an arXiv, Hugging Face or alphaXiv paper URL` };
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, reason: 'the URL path is not valid' };
  }
  const parts = path.split('/').filter(Boolean);
  if (host === 'doi.org') return { ok: true, value: parts.join('/') };
  const [first, ...rest] = parts;
  if (!first || !prefixes.includes(first.toLowerCase()) || rest.length === 0) {
    return { ok: false, reason: `no paper id in ${url.hostname}${url.pathname}` };
  }
  // old-style ids contain a slash: /abs/hep-th/9901001; pdf links may end in .pdf
  const id = rest.join('/').replace(/\.pdf$/i, '');
  return { ok: true, value: id };
}

function ok(id: string, version: string | undefined): ParseResult {
  const v = version === undefined ? null : Number(version);
  if (v === 0) return fail('arXiv versions start at v1');
  return { ok: true, value: { id, version: v } };
}

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

/** True for ids of the new scheme: the month of first submission is in the id. */
export function isNewStyleId(id: string): boolean {
  return /^\d{4}\.\d{4,5}$/.test(id);
}

/** The abstract page, PDF and HTML links of a paper on arxiv.org. */
export function arxivLinks(id: string): { abs: string; pdf: string } {
  return { abs: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` };
}
