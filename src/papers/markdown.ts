import { arxivLinks } from './arxiv-id.ts';
import type { Paper } from './paper.ts';

export interface MarkdownFeature {
  day: string;
  submitter: string | null;
}

/**
 * The paper page as markdown (`/papers/{id}.md`): title, authors, links, abstract, comments. Pure.
 * Characters that markdown would read as markup in the title are escaped.
 */
export function paperMarkdown(paper: Paper, feature: MarkdownFeature | null, baseUrl: string): string {
  const links = arxivLinks(paper.id);
  const lines = [`# ${escapeMarkdown(paper.title)}`, ''];
  if (paper.authors.length > 0)
    lines.push(`**Authors:** ${paper.authors.map(escapeMarkdown).join(', ')}`, '');
  const facts: string[] = [];
  if (paper.publishedAt) facts.push(`- **Published:** ${paper.publishedAt.slice(0, 10)}`);
  if (paper.categories.length > 0) facts.push(`- **Categories:** ${paper.categories.join(', ')}`);
  if (feature) {
    facts.push(
      `- **Featured:** ${feature.day}${feature.submitter ? ` by ${escapeMarkdown(feature.submitter)}` : ''}`,
    );
  }
  facts.push(`- **Upvotes:** ${paper.upvotes}`);
  facts.push(`- **arXiv:** <${links.abs}>`, `- **PDF:** <${links.pdf}>`);
  if (paper.githubRepo) facts.push(`- **Code:** <${paper.githubRepo}>`);
  if (paper.projectPage) facts.push(`- **Project page:** <${paper.projectPage}>`);
  if (paper.doi) facts.push(`- **DOI:** ${escapeMarkdown(paper.doi)}`);
  if (paper.journalRef) facts.push(`- **Journal reference:** ${escapeMarkdown(paper.journalRef)}`);
  facts.push(`- **Discussion:** <${baseUrl}/papers/${paper.id}>`);
  lines.push(...facts, '', '## Abstract', '', paper.abstract || '_No abstract._', '');
  if (paper.comments) lines.push('## Comments', '', escapeMarkdown(paper.comments), '');
  return lines.join('\n');
}

/** Backslash-escapes markdown's inline markup characters. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}
