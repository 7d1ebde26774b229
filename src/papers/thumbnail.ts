import { escapeXml } from '../web/format.ts';
import type { Paper } from './paper.ts';

const WIDTH = 1200;
const HEIGHT = 630;
const CHARS_PER_LINE = 38;
const MAX_LINES = 5;

/** A title card for a paper (the `thumbnail` of the API): the title wrapped on a plain background. Pure. */
export function paperThumbnail(paper: Paper, siteName: string): string {
  const lines = wrap(paper.title, CHARS_PER_LINE, MAX_LINES);
  const authors = paper.authors.slice(0, 3).join(', ') + (paper.authors.length > 3 ? ' et al.' : '');
  const text = lines
    .map(
      (line, i) =>
        `<text x="70" y="${170 + i * 74}" font-size="60" font-weight="700">${escapeXml(line)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif"><rect width="${WIDTH}" height="${HEIGHT}" fill="#fffbeb"/><rect width="${WIDTH}" height="14" fill="#f59e0b"/><g fill="#1a1d23">${text}</g><text x="70" y="560" font-size="30" fill="#5d6673">${escapeXml(authors)}</text><text x="70" y="95" font-size="30" fill="#b45309">${escapeXml(siteName)} · arXiv ${escapeXml(paper.id)}</text></svg>`;
}

function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (`${line} ${word}`.trim().length > width && line) {
      lines.push(line);
      line = word;
    } else line = `${line} ${word}`.trim();
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] = `${lines[maxLines - 1]!.slice(0, width - 1)}…`;
  }
  return lines;
}
