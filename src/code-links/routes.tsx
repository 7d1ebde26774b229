import type { Context, Hono } from 'hono';
import { PAPER_ID, paperIdParam } from '../papers/paper-path.ts';
import { hasRole, requireViewer } from '../users/require.ts';
import { apiError, firstIssue } from '../web/api-error.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { paperPath } from '../web/format.ts';
import { CsrfField, formFields } from '../web/forms.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { setPaperLinks } from './code-links.store.ts';
import { linksBody } from './input.ts';

const LINKS_LIMIT = { max: 30, windowMs: 60_000 };

/**
 * A paper's code and project links: `POST /api/papers/{id}/links` (JSON, as HF documents it; token or session)
 * and `POST /papers/{id}/links` (the form on the paper page).
 */
export function registerCodeLinkRoutes(app: Hono<AppEnv>, deps: WebDeps): void {
  const handle = async (c: Context<AppEnv>, id: string, body: unknown, api: boolean) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const fail = (status: 400 | 403 | 404, message: string) =>
      api ? apiError(c, status, message) : c.text(message, status);
    const parsed = linksBody.safeParse(body);
    if (!parsed.success) return fail(400, firstIssue(parsed.error));
    const limited = await deps.limiter.hit(`links:${auth.viewer.id}`, LINKS_LIMIT);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'link changes');
    const result = await setPaperLinks(
      deps.store.db,
      auth.viewer,
      id,
      parsed.data,
      hasRole(auth.viewer, 'moderator'),
    );
    if (result.status === 'not-found') return fail(404, `paper ${id} not found`);
    if (result.status === 'forbidden')
      return fail(
        403,
        'only the member who featured the paper, its confirmed authors and moderators can set its links',
      );
    if (api) return c.json({ id, githubRepo: result.githubRepo, projectPage: result.projectPage });
    return c.redirect(paperPath(id), 303);
  };

  app.post(`/api/papers/${PAPER_ID}/links`, async (c) => {
    const parsed = paperIdParam(c.req.param('id'));
    if (!parsed) return apiError(c, 404, 'not an arXiv paper');
    const json = await c.req.json().catch(() => undefined);
    if (json === undefined || typeof json !== 'object' || json === null || Array.isArray(json))
      return apiError(c, 400, 'send JSON: {"githubRepo": "…", "projectPage": "…"}');
    return handle(c, parsed.id, json, true);
  });

  app.post(`/papers/${PAPER_ID}/links`, async (c) => {
    const parsed = paperIdParam(c.req.param('id'));
    if (!parsed) return c.text('No such paper.', 404);
    const form = await formFields(c.req);
    return handle(
      c,
      parsed.id,
      { githubRepo: form.githubRepo ?? '', projectPage: form.projectPage ?? '' },
      false,
    );
  });
}

/** The form on the paper page, for those who may use it. */
export function LinksForm(props: {
  paperId: string;
  githubRepo: string | null;
  projectPage: string | null;
  csrf: string | null;
}) {
  return (
    <details class="box">
      <summary>Edit code and project links</summary>
      <form method="post" action={`${paperPath(props.paperId)}/links`} class="form">
        <CsrfField csrf={props.csrf} />
        <label for="links-github">GitHub repository</label>
        <input
          id="links-github"
          name="githubRepo"
          type="url"
          value={props.githubRepo ?? ''}
          placeholder="https://github.com/owner/repo"
          maxlength={300}
        />
        <label for="links-project">Project page</label>
        <input
          id="links-project"
          name="projectPage"
          type="url"
          value={props.projectPage ?? ''}
          placeholder="https://…"
          maxlength={500}
        />
        <button type="submit">Save links</button>
      </form>
    </details>
  );
}
