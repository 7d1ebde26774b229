import type { Hono } from 'hono';
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
  app.get(`/api/papers/${PAPER_ID}`, async (c, next) => {
    const parsed = paperIdParam(c.req.param('id'));
    if (!parsed) return next();
    const [paper, feature] = await Promise.all([
      findPaper(deps.store.db, parsed.id),
      findFeature(deps.store.db, parsed.id),
    ]);
    if (!paper || paper.hidden) return apiError(c, 404, `paper ${parsed.id} not found`);
    const info = feature ? { submittedAt: feature.submitted_at, submitter: feature.submitter } : null;
    return c.json(flatPaper(paper, info, deps.site.baseUrl, await claimedAuthorsOf(deps.store.db, [paper])));
  });
  // one path segment that is no arXiv id (an id the pattern took but parseArxivId refused lands here too)
  app.get('/api/papers/:rest', (c) =>
    apiError(
      c,
      400,
      `"${c.req.param('rest').slice(0, 60)}" is not an arXiv id (e.g. 2312.07000 or hep-th/9901001)`,
    ),
  );
}
