import type { Context, Hono } from 'hono';
import { PAPER_ID, paperIdParam } from '../papers/paper-path.ts';
import { requireViewer } from '../users/require.ts';
import { apiError } from '../web/api-error.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { formFields } from '../web/forms.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { localPath, redirectLocal } from '../web/redirect.ts';
import { VoteButton } from './vote-button.tsx';
import { createVoter } from './voter.ts';

/**
 * Upvotes: `POST /papers/{id}/upvote|unvote` from pages (htmx swaps the button; without JavaScript the form
 * posts and comes back), and `POST|DELETE /api/papers/{id}/upvote` with an API token or session.
 */
export function registerVoteRoutes(app: Hono<AppEnv>, deps: WebDeps): void {
  const limit = { max: deps.config.VOTES_PER_MINUTE, windowMs: 60_000 };
  const vote = createVoter(deps.store);

  // one route per direction: Hono matches no second pattern parameter after an id with a slash (hep-th/9901001)
  const page = (up: boolean) => async (c: Context<AppEnv>) => {
    const parsed = paperIdParam(c.req.param('id'));
    if (!parsed) return c.text('No such paper.', 404);
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const limited = await deps.limiter.hit(`vote:${auth.viewer.id}`, limit);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'votes');
    const result = await vote(auth.viewer.id, parsed.id, up);
    if (!result) return c.text('No such paper.', 404);
    const form = await formFields(c.req);
    if (c.req.header('hx-request')) {
      return c.html(
        <VoteButton
          paperId={parsed.id}
          upvotes={result.upvotes}
          state={result.upvoted ? 'upvoted' : 'not-upvoted'}
          csrf={c.get('csrf')}
          next={localPath(form.next, deps.site.baseUrl)}
        />,
      );
    }
    return redirectLocal(c, deps.site.baseUrl, form.next);
  };
  app.post(`/papers/${PAPER_ID}/upvote`, page(true));
  app.post(`/papers/${PAPER_ID}/unvote`, page(false));

  const api = async (c: Context<AppEnv>) => {
    const parsed = paperIdParam(c.req.param('id') ?? '');
    if (!parsed) return apiError(c, 404, 'not an arXiv paper');
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const limited = await deps.limiter.hit(`vote:${auth.viewer.id}`, limit);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'votes');
    const result = await vote(auth.viewer.id, parsed.id, c.req.method === 'POST');
    if (!result) return apiError(c, 404, `paper ${parsed.id} not found`);
    return c.json(result);
  };
  app.post(`/api/papers/${PAPER_ID}/upvote`, api);
  app.delete(`/api/papers/${PAPER_ID}/upvote`, api);
}
