/**
 * The paper: one arXiv paper as Paperboy keeps it. Ingest turns every source into a `PaperRecord`;
 * the store keeps one row per canonical id and the latest version seen.
 */
export interface PaperRecord {
  /** canonical arXiv id without version */
  id: string;
  /** latest version number seen, or null when the source does not say */
  version: number | null;
  title: string;
  /** author names in the paper's order */
  authors: string[];
  abstract: string;
  /** arXiv categories, the primary one first */
  categories: string[];
  /** first version's date (ISO 8601), or the announcement date when that is all the source has */
  publishedAt: string | null;
  /** latest version's date (ISO 8601) */
  updatedAt: string | null;
  comments: string | null;
  journalRef: string | null;
  doi: string | null;
  githubRepo: string | null;
  projectPage: string | null;
}

/** A stored paper, as pages and the API read it. */
export interface Paper extends PaperRecord {
  primaryCategory: string | null;
  githubStars: number | null;
  aiSummary: string | null;
  /** the model that wrote aiSummary, when known */
  aiSummaryModel: string | null;
  /** 'local' when this instance's configured model wrote it; null when imported from Hugging Face */
  aiSummaryOrigin?: string | null;
  aiKeywords: string[];
  /** imported baseline plus real votes */
  upvotes: number;
  numComments: number;
  /** hidden by the moderators: out of every list, search and the API */
  hidden: boolean;
  /** the organization Hugging Face says it was submitted for, if any */
  organization?: string | null;
}

/** Collapses runs of whitespace (arXiv hard-wraps titles and abstracts) and trims. */
export function normalizeSpace(text: string): string {
  // most text needs nothing: test before rewriting (this runs for every record of a bulk import)
  if (!NEEDS_NORMALIZING.test(text)) return text;
  return text.replace(/\s+/g, ' ').trim();
}

const NEEDS_NORMALIZING =
  /^\s|\s$|\s\s|[\t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Title and abstract may arrive with LaTeX line breaks and stray spaces; keep them readable. */
export function cleanText(text: string | null | undefined): string {
  return text ? normalizeSpace(text) : '';
}

/** An optional text field: empty becomes null. */
export function optionalText(text: unknown, maxLength = 4000): string | null {
  if (typeof text !== 'string') return null;
  const clean = normalizeSpace(text);
  return clean === '' ? null : clean.slice(0, maxLength);
}

/** The categories string of arXiv ("cs.CL cs.AI") as a list, primary first, duplicates removed. */
export function parseCategories(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  const seen = new Set<string>();
  for (const item of list) {
    if (typeof item !== 'string') continue;
    const cat = item.trim();
    if (/^[A-Za-z-]+(\.[A-Za-z-]+)?$/.test(cat) && cat.length <= 32) seen.add(cat);
  }
  return [...seen];
}

/** A date in any form the sources use (ISO, RFC 2822, YYYY-MM-DD) → ISO 8601 UTC, or null. */
export function toIsoDate(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (Number.isNaN(ms)) return null;
  const year = new Date(ms).getUTCFullYear();
  if (year < 1990 || year > 2200) return null;
  return new Date(ms).toISOString();
}
