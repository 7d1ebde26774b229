import { parseArxivId } from './arxiv-id.ts';

export interface PaperPath {
  id: string;
  version: number | null;
  /** what follows the id: '', '.md', '/thumbnail.svg' … */
  suffix: string;
}

/**
 * Splits the part of a URL after `/papers/` into the paper id and what follows. Old-style ids carry a
 * slash (`hep-th/9901001.md`), so a route parameter cannot hold them. Pure.
 * @example splitPaperPath('hep-th/9901001v2.md') // { id: 'hep-th/9901001', version: 2, suffix: '.md' }
 */
export function splitPaperPath(rest: string): PaperPath | null {
  const m =
    /^([a-z-]+(?:\.[A-Za-z-]+)?\/\d{7})(v\d+)?((?:[./].*)?)$/.exec(rest) ??
    /^(\d{4}\.\d{4,5})(v\d+)?((?:[./].*)?)$/.exec(rest);
  if (!m) return null;
  const parsed = parseArxivId(`${m[1]}${m[2] ?? ''}`);
  if (!parsed.ok) return null;
  return { id: parsed.value.id, version: parsed.value.version, suffix: m[3] ?? '' };
}

/** An arXiv id in a route, new style or old (with its slash), version optional: the one pattern of all routes. */
const ARXIV_ID = '(?:[a-z-]+(?:\\.[A-Za-z-]+)?/[0-9]{7}|[0-9]{4}\\.[0-9]{4,5})(?:v[0-9]+)?';

/** The route parameter `id` holding a paper's arXiv id: app.post(`/papers/${PAPER_ID}/comments`, …). */
export const PAPER_ID = `:id{${ARXIV_ID}}`;

/** The route parameter `file`: a paper's id and one of its file extensions (`2401.00001.md`, `.bib`, `.ris`, `.json`). */
export const PAPER_FILE = `:file{${ARXIV_ID}\\.(?:md|bib|ris|json)}`;

/**
 * The paper a route's `id` parameter names: its canonical id and the version asked for, or null when the id
 * does not hold up (the route pattern matched its shape; parseArxivId checks the rest, such as the month).
 */
export function paperIdParam(raw: string | undefined): { id: string; version: number | null } | null {
  if (raw === undefined) return null;
  const parsed = parseArxivId(raw);
  return parsed.ok ? { id: parsed.value.id, version: parsed.value.version } : null;
}
