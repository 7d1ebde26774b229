import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { claimedAuthorsOf } from '../authors/claims.store.ts';
import { findFeature, findFeatures } from '../features/features.store.ts';
import { decodeCursor, encodeCursor } from '../papers/list-cursor.ts';
import { PAPER_ID, paperIdParam } from '../papers/paper-path.ts';
import { findPaper, listPapersByDate } from '../papers/papers.store.ts';
import { apiError, firstIssue } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import { registerCommentApi } from './comment-api.ts';
import type { AppDeps } from './deps.ts';
import { flatPaper } from './hf-json.ts';

/** The query of `GET /api/papers` (Hugging Face's: `cursor` and `limit` 1–100). Unknown parameters are ignored. */
export const papersListQuery = z.object({
  cursor: z
    .string()
    .refine((v) => decodeCursor(v) !== null, 'cursor must be one a Link header of this API gave')
    .optional()
    .describe('where the last page stopped: the cursor of the rel="next" Link of the previous answer'),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 100')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, 'limit must be a whole number from 1 to 100')
    .optional()
    .describe('1 to 100 (default 50)'),
});

/**
 * `GET /api/papers/{arxivId}`: one flat paper object; `GET /api/papers`: every paper, newest first, by cursor;
 * and the comments of a paper read back (comment-api.ts).
 */
export function registerPaperApi(app: Hono<AppEnv>, deps: AppDeps): void {
  registerCommentApi(app, deps);
  app.get('/api/papers', async (c) => {
    const parsed = papersListQuery.safeParse(c.req.query());
    if (!parsed.success) return apiError(c, 400, firstIssue(parsed.error));
    const limit = Math.min(parsed.data.limit ?? 50, deps.config.API_MAX_LIMIT);
    const after = parsed.data.cursor ? decodeCursor(parsed.data.cursor) : null;
    const rows = await listPapersByDate(deps.store.db, after, limit + 1);
    const page = rows.slice(0, limit);
    const papers = page.map((r) => r.paper);
    const [features, claimed] = await Promise.all([
      findFeatures(
        deps.store.db,
        papers.map((p) => p.id),
      ),
      claimedAuthorsOf(deps.store.db, papers),
    ]);
    const last = page.at(-1);
    if (rows.length > limit && last) {
      const next = `${deps.site.baseUrl}/api/papers?limit=${limit}&cursor=${encodeCursor(last.position)}`;
      c.header('Link', `<${next}>; rel="next"`);
    }
    return c.json(
      papers.map((paper) => {
        const f = features.get(paper.id);
        const info = f ? { submittedAt: f.submitted_at, submitter: f.submitter } : null;
        return flatPaper(paper, info, deps.site.baseUrl, claimed);
      }),
    );
  });

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
