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
