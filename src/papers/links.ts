/**
 * Code and project links found in an abstract or the comments field.
 * Authors write "Code: https://github.com/org/repo." or "Project page: https://x.github.io/y";
 * arXiv's text sometimes breaks a URL with a space or wraps it in parentheses.
 *
 * @example findPaperLinks('Code at https://github.com/a/b.') // { githubRepo: 'https://github.com/a/b', projectPage: null }
 */
export interface PaperLinks {
  githubRepo: string | null;
  projectPage: string | null;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'{}|\\^`\]]+/gi;
const GITHUB_REPO =
  /^https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})/i;
/** Paths on github.com that are not user or organisation names. */
const GITHUB_RESERVED = new Set([
  'orgs',
  'topics',
  'features',
  'about',
  'sponsors',
  'settings',
  'marketplace',
]);
/** Words that, just before a URL, say it is the project's page. */
const PROJECT_CUE = /(project|home|web)\s*(page|site)|website|demo|webpage|available at|see/i;
const NOT_PROJECT =
  /(arxiv\.org|doi\.org|creativecommons\.org|huggingface\.co\/(datasets|papers)|youtube\.com|youtu\.be)/i;

export function findPaperLinks(...texts: (string | null | undefined)[]): PaperLinks {
  let githubRepo: string | null = null;
  let projectPage: string | null = null;
  let cuedProject: string | null = null;
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(URL_PATTERN)) {
      const url = trimUrl(match[0]);
      const repo = githubRepoOf(url);
      if (repo) {
        githubRepo ??= repo;
        continue;
      }
      if (NOT_PROJECT.test(url) || /github\.com/i.test(url)) continue;
      const before = text.slice(Math.max(0, (match.index ?? 0) - 40), match.index);
      if (/\.github\.io\b/i.test(url)) projectPage ??= url;
      else if (PROJECT_CUE.test(before)) cuedProject ??= url;
    }
  }
  return { githubRepo, projectPage: projectPage ?? cuedProject };
}

/** `https://github.com/Org/Repo/tree/main` → `https://github.com/Org/Repo`; anything else → null. */
export function githubRepoOf(url: string): string | null {
  const m = GITHUB_REPO.exec(url);
  if (!m) return null;
  const owner = m[1]!;
  const repo = m[2]!.replace(/\.git$/i, '').replace(/[.]+$/, '');
  if (GITHUB_RESERVED.has(owner.toLowerCase()) || repo === '') return null;
  return `https://github.com/${owner}/${repo}`;
}

/** Drops punctuation that ends the sentence rather than the URL. */
function trimUrl(url: string): string {
  let out = url;
  for (;;) {
    const last = out.at(-1);
    if (last && '.,;:!?'.includes(last)) out = out.slice(0, -1);
    else if (last === ')' && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0))
      out = out.slice(0, -1);
    else return out;
  }
}
