import type { Hono } from 'hono';
import { claimedAuthorsOf } from '../authors/claims.store.ts';
import { findFeature } from '../features/features.store.ts';
import { splitPaperPath } from '../papers/paper-path.ts';
import { findPaper } from '../papers/papers.store.ts';
import { apiError } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import type { AppDeps } from './deps.ts';
import { flatPaper } from './hf-json.ts';

/** `GET /api/papers/{arxivId}`: one flat paper object. */
export function registerPaperApi(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/api/papers/*', async (c, next) => {
    const rest = c.req.path.slice('/api/papers/'.length);
    const parsed = splitPaperPath(rest);
    if (!parsed) {
      if (rest.includes('/')) return next();
      return apiError(
        c,
        400,
        `"${rest.slice(0, 60)}" is not an arXiv id (e.g. 2312.07000 or hep-th/9901001)`,
      );
    }
    if (parsed.suffix !== '') return next();
    const [paper, feature] = await Promise.all([
      findPaper(deps.store.db, parsed.id),
      findFeature(deps.store.db, parsed.id),
    ]);
    if (!paper || paper.hidden) return apiError(c, 404, `paper ${parsed.id} not found`);
    const info = feature ? { submittedAt: feature.submitted_at, submitter: feature.submitter } : null;
    return c.json(flatPaper(paper, info, deps.site.baseUrl, await claimedAuthorsOf(deps.store.db, [paper])));
  });
}
