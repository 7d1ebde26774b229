import type { Hono } from 'hono';
import { escapeToBuffer } from 'hono/utils/html';
import { claimedAuthorsOf } from '../authors/claims.store.ts';
import { MARK_END, MARK_START } from '../papers/marks.ts';
import { PAPER_ID, paperIdParam } from '../papers/paper-path.ts';
import { DEFAULT_SEARCH_LIMIT, searchApiQuery, searchParams, similarApiQuery } from '../search/request.ts';
import type { SearchHit } from '../search/search.store.ts';
import { apiError, firstIssue } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import { jsonBody } from '../web/json-body.ts';
import type { AppDeps } from './deps.ts';
import { type ClaimedAuthors, hfDailyItem } from './hf-json.ts';

/** Text escaped for HTML by the template engine's own function (without building a template per piece). */
function escaped(text: string): string {
  const buffer: [string] = [''];
  escapeToBuffer(text, buffer);
  return buffer[0];
}

/** Escaped text with the matches wrapped in <mark> (what `highlightedTitle`/`highlightedSummary` carry). */
export function markedHtml(text: string): string {
  return text
    .split(MARK_START)
    .map((part, i) => {
      if (i === 0) return escaped(part.replaceAll(MARK_END, ''));
      const end = part.indexOf(MARK_END);
      if (end === -1) return escaped(part);
      return `<mark>${escaped(part.slice(0, end))}</mark>${escaped(part.slice(end + 1).replaceAll(MARK_END, ''))}`;
    })
    .join('');
}

/** A search result as a daily item (hf-papers-api.md), featured or not, with its marked title and snippet. */
export function searchItem(hit: SearchHit, baseUrl: string, highlights: boolean, claimed: ClaimedAuthors) {
  const feature = hit.submittedAt ? { submittedAt: hit.submittedAt, submitter: hit.submitter } : null;
  return {
    ...hfDailyItem(hit.paper, feature, baseUrl, claimed),
    ...(highlights
      ? {
          highlightedTitle: markedHtml(hit.highlightedTitle),
          highlightedSummary: markedHtml(hit.highlightedSummary),
        }
      : {}),
  };
}

/**
 * `GET /api/papers/search?q=&limit=` (HF's; Paperboy adds `p`, `sort`, `cat`, `featured`, `after`, `before`)
 * and `GET /api/papers/{id}/similar?limit=`. Registered before the catch-all `/api/papers/*`.
 */
export function registerSearchApi(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/api/papers/search', async (c) => {
    const parsed = searchApiQuery.safeParse(c.req.query());
    if (!parsed.success) return apiError(c, 400, firstIssue(parsed.error));
    const params = searchParams(parsed.data);
    if (!params.q) return c.json([]);
    const limit = parsed.data.limit ?? DEFAULT_SEARCH_LIMIT;
    const outcome = await deps.search.search({
      q: params.q,
      filters: params.filters,
      sort: params.sort,
      offset: (parsed.data.p ?? 0) * limit,
      limit,
    });
    const claimed = await claimedAuthorsOf(
      deps.store.db,
      outcome.hits.map((h) => h.paper),
    );
    return jsonBody(
      c,
      outcome.hits.map((hit) => searchItem(hit, deps.site.baseUrl, true, claimed)),
    );
  });

  app.get(`/api/papers/${PAPER_ID}/similar`, async (c) => {
    const split = paperIdParam(c.req.param('id'));
    if (!split) return apiError(c, 404, 'not an arXiv paper');
    const parsed = similarApiQuery.safeParse(c.req.query());
    if (!parsed.success) return apiError(c, 400, firstIssue(parsed.error));
    const hits = await deps.search.similar(split.id, parsed.data.limit ?? 10);
    if (!hits) return apiError(c, 404, `paper ${split.id} not found`);
    const claimed = await claimedAuthorsOf(
      deps.store.db,
      hits.map((h) => h.paper),
    );
    return c.json(hits.map((hit) => searchItem(hit, deps.site.baseUrl, false, claimed)));
  });
}
