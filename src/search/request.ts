/**
 * The parameters of the search page and the search API, checked with zod. Pure. The query text itself is
 * never refused for what it contains (query-parse.ts reads anything), only for its length.
 */
import { z } from 'zod';
import { dateBound, MAX_QUERY_LENGTH } from './query-parse.ts';
import type { SearchFilters, SearchSort } from './search.store.ts';

const date = (name: string, side: 'start' | 'end') =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === '') return null;
      const bound = dateBound(v, side);
      if (!bound) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a date as YYYY-MM-DD, YYYY-MM or YYYY` });
        return z.NEVER;
      }
      return bound;
    })
    .optional();

const flag = z
  .string()
  .optional()
  .transform((v) => v === '1' || v === 'on' || v === 'true');

/** The filters and sort both the page and the API take. */
const common = {
  q: z
    .string()
    .max(MAX_QUERY_LENGTH, `q: the query is longer than ${MAX_QUERY_LENGTH} characters; shorten it`)
    .default(''),
  sort: z
    .enum(['relevance', 'date', 'upvotes'], { message: 'sort must be relevance, date or upvotes' })
    .optional(),
  cat: z
    .string()
    .trim()
    .refine(
      (v) => v === '' || /^[A-Za-z-]{1,20}(\.[A-Za-z-]{1,20})?$/.test(v),
      'cat must be an arXiv category like cs.CL',
    )
    .optional(),
  featured: flag,
  after: date('after', 'start'),
  before: date('before', 'end'),
};

export const searchPageQuery = z.object({
  ...common,
  page: z
    .string()
    .optional()
    .transform((v) => Math.min(Math.max(1, Math.floor(Number(v)) || 1), 50)),
});

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, `${name} must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be a whole number from ${min} to ${max}`);

/** Results a search goes down to, as the page's 50 pages of 20 do: ranking deeper costs in proportion. */
export const SEARCH_DEPTH = 1000;
export const DEFAULT_SEARCH_LIMIT = 50;

/**
 * `/api/papers/search`: HF's `q` and `limit` (1–120), plus Paperboy's filters, sort and page `p`, no deeper
 * than SEARCH_DEPTH results (page 1,000 of 120, which the old bound allowed, took 3 s at 1M papers).
 */
export const searchApiQuery = z
  .object({
    ...common,
    limit: wholeNumber('limit', 1, 120).optional(),
    p: wholeNumber('p', 0, SEARCH_DEPTH).optional(),
  })
  .refine((v) => ((v.p ?? 0) + 1) * (v.limit ?? DEFAULT_SEARCH_LIMIT) <= SEARCH_DEPTH, {
    message: `(p + 1) × limit must be at most ${SEARCH_DEPTH}: a search goes ${SEARCH_DEPTH} results deep`,
  });

/** `/api/papers/{id}/similar` */
export const similarApiQuery = z.object({ limit: wholeNumber('limit', 1, 50).optional() });

export interface SearchParams {
  q: string;
  sort: SearchSort;
  filters: SearchFilters;
}

/** The checked parameters as the store takes them. */
export function searchParams(
  v: z.infer<typeof searchPageQuery> | z.infer<typeof searchApiQuery>,
): SearchParams {
  return {
    q: v.q.trim(),
    sort: v.sort ?? 'relevance',
    filters: {
      category: v.cat ? v.cat : null,
      featuredOnly: v.featured,
      after: v.after ?? null,
      before: v.before ?? null,
    },
  };
}

/** The URL of a search with these parameters (empty ones left out), for links, the pager and htmx. */
export function searchUrl(params: SearchParams, page = 1, path = '/papers'): string {
  const q = new URLSearchParams({ q: params.q });
  if (params.sort !== 'relevance') q.set('sort', params.sort);
  if (params.filters.category) q.set('cat', params.filters.category);
  if (params.filters.featuredOnly) q.set('featured', '1');
  if (params.filters.after) q.set('after', params.filters.after);
  if (params.filters.before) q.set('before', params.filters.before);
  if (page > 1) q.set('page', String(page));
  return `${path}?${q.toString()}`;
}
