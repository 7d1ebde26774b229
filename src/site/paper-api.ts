import type { Context, Hono } from 'hono';
import { claimedAuthorsOf } from '../authors/claims.store.ts';
import { findFeature } from '../features/features.store.ts';
import { PAPER_ID, paperIdParam } from '../papers/paper-path.ts';
import { findPaper } from '../papers/papers.store.ts';
import { apiError } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import type { AppDeps } from './deps.ts';
import { flatPaper } from './hf-json.ts';

/** `GET /api/papers/{arxivId}`: one flat paper object. */
export function registerPaperApi(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get(`/api/papers/${PAPER_ID}`, async (c) => {
    const parsed = paperIdParam(c.req.param('id'));
    if (!parsed) return notAnArxivId(c, c.req.param('id') ?? '');
    const [paper, feature] = await Promise.all([
      findPaper(deps.store.db, parsed.id),
      findFeature(deps.store.db, parsed.id),
    ]);
    if (!paper || paper.hidden) return apiError(c, 404, `paper ${parsed.id} not found`);
    const info = feature ? { submittedAt: feature.submitted_at, submitter: feature.submitter } : null;
    return c.json(flatPaper(paper, info, deps.site.baseUrl, await claimedAuthorsOf(deps.store.db, [paper])));
  });
}

/**
 * `GET /api/papers/{one segment}` that no route took: a 400 that says what an id looks like, not a bare 404. Called
 * by the app's not-found handler, so it holds whatever order the routes were registered in.
 */
export function unmatchedPaperApi(c: Context<AppEnv>): Response | null {
  const m = /^\/api\/papers\/([^/]+)$/.exec(c.req.path);
  return m && c.req.method === 'GET' ? notAnArxivId(c, m[1]!) : null;
}

function notAnArxivId(c: Context<AppEnv>, text: string): Response {
  return apiError(c, 400, `"${text.slice(0, 60)}" is not an arXiv id (e.g. 2312.07000 or hep-th/9901001)`);
}
