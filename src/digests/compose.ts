/**
 * Which papers a subscriber's digest lists, and its plain-text part. Pure.
 *
 * Candidates are the period's featured papers, most upvoted first. A subscriber's topics filter them: a paper
 * matches when it carries one of the chosen arXiv categories or one of the keywords appears in its title or
 * abstract (as a whole word, case-insensitive); no topics means every featured paper. The first `count` are kept.
 */
export interface DigestPaper {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  categories: string[];
  upvotes: number;
  githubRepo: string | null;
}

export interface DigestFilters {
  categories: string[];
  keywords: string[];
  count: number;
}

export function selectPapers(candidates: DigestPaper[], filters: DigestFilters): DigestPaper[] {
  const categories = new Set(filters.categories);
  const keywords = filters.keywords.map(keywordPattern).filter((p): p is RegExp => p !== null);
  const chosen: DigestPaper[] = [];
  for (const paper of candidates) {
    if (chosen.length >= filters.count) break;
    if (categories.size === 0 && keywords.length === 0) {
      chosen.push(paper);
      continue;
    }
    const inCategory = paper.categories.some((c) => categories.has(c));
    const text = `${paper.title} ${paper.abstract}`;
    if (inCategory || keywords.some((k) => k.test(text))) chosen.push(paper);
  }
  return chosen;
}

/** A keyword as a whole-word, case-insensitive pattern; regex characters in it are literal. */
function keywordPattern(keyword: string): RegExp | null {
  const word = keyword.trim();
  if (!word) return null;
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
}

/** The start of an abstract for the email, cut at a word. */
export function emailExcerpt(text: string, length = 280): string {
  if (text.length <= length) return text;
  const cut = text.lastIndexOf(' ', length);
  return `${text.slice(0, cut > length * 0.6 ? cut : length)}…`;
}

export interface DigestLinks {
  paper: (id: string) => string;
  view: string;
  manage: string;
  unsubscribe: string;
}

/** The plain-text part: numbered papers with their links, then how to change or stop the digest. */
export function digestText(
  siteName: string,
  title: string,
  papers: DigestPaper[],
  links: DigestLinks,
): string {
  const lines = [`${siteName}: ${title}`, '='.repeat(Math.min(72, siteName.length + title.length + 2)), ''];
  papers.forEach((p, i) => {
    const authors =
      p.authors.slice(0, 3).join(', ') + (p.authors.length > 3 ? ` +${p.authors.length - 3}` : '');
    lines.push(
      `${i + 1}. ${p.title}`,
      `   ${authors} · ${p.upvotes} upvotes`,
      `   ${emailExcerpt(p.abstract, 240)}`,
    );
    lines.push(`   ${links.paper(p.id)}  ·  https://arxiv.org/abs/${p.id}`, '');
  });
  lines.push(
    '--',
    `View in your browser: ${links.view}`,
    `Change your topics: ${links.manage}`,
    `Unsubscribe: ${links.unsubscribe}`,
    '',
  );
  return lines.join('\n');
}
