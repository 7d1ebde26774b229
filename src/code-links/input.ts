import { z } from 'zod';
import { githubRepoOf } from '../papers/links.ts';

/**
 * The body of `POST /api/papers/{id}/links` (HF's shape): `githubRepo` and `projectPage`, each a URL, or null
 * or "" to remove it; a field left out stays as it is. Pure; also used for the OpenAPI document.
 */
const githubRepo = z
  .union([z.string().max(300, 'githubRepo is at most 300 characters'), z.null()])
  .transform((v, ctx) => {
    if (v === null || v.trim() === '') return null;
    const repo = githubRepoOf(v.trim());
    if (!repo || !/^https:\/\/(www\.)?github\.com\//i.test(v.trim())) {
      ctx.addIssue({ code: 'custom', message: 'githubRepo must be https://github.com/OWNER/REPO' });
      return z.NEVER;
    }
    return repo;
  })
  .describe('https://github.com/OWNER/REPO; null or "" removes it');

const projectPage = z
  .union([z.string().max(500, 'projectPage is at most 500 characters'), z.null()])
  .transform((v, ctx) => {
    if (v === null || v.trim() === '') return null;
    const url = safeHttpUrl(v.trim());
    if (!url) {
      ctx.addIssue({ code: 'custom', message: 'projectPage must be an http(s) URL' });
      return z.NEVER;
    }
    return url;
  })
  .describe('an http(s) URL; null or "" removes it');

export const linksBody = z
  .object({ githubRepo: githubRepo.optional(), projectPage: projectPage.optional() })
  .refine((b) => b.githubRepo !== undefined || b.projectPage !== undefined, {
    message: 'send githubRepo and/or projectPage',
  });

export type LinksInput = z.output<typeof linksBody>;

/** An absolute http(s) URL without credentials, normalised; anything else → null. */
export function safeHttpUrl(text: string): string | null {
  if (/[\s<>"']/.test(text)) return null;
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password || !url.hostname.includes('.')) return null;
    return url.toString();
  } catch {
    return null;
  }
}
