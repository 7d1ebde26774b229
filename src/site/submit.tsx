import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { addComment } from '../comments/comments.store.ts';
import { MAX_COMMENT_LENGTH } from '../comments/markdown.ts';
import { findFeature, listFeatures } from '../features/features.store.ts';
import { featurePaper, type SubmitProblem } from '../features/submit.store.ts';
import { parseArxivId } from '../papers/arxiv-id.ts';
import type { Paper } from '../papers/paper.ts';
import { findPaper } from '../papers/papers.store.ts';
import { requireViewer } from '../users/require.ts';
import type { Viewer } from '../users/users.store.ts';
import { apiError } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import { paperPath, shortDate } from '../web/format.ts';
import { CsrfField, Field, formFields, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import type { AppDeps } from './deps.ts';
import { dailyItem } from './hf-json.ts';
import { PaperCard } from './paper-card.tsx';

const SUBMITS_PER_MINUTE = { max: 10, windowMs: 60_000 };
/** how long a member waits for arXiv's turn (one request every 3 s, harvest included) */
const ARXIV_WAIT_MS = 20_000;

/** What a refusal says, and its status. */
export function describeProblem(problem: SubmitProblem): [number, string] {
  switch (problem.kind) {
    case 'no-paper':
      return [404, 'We could not find this paper on arXiv.'];
    case 'hidden':
      return [403, 'This paper has been hidden by the moderators.'];
    case 'already-featured':
      return [
        409,
        `This paper is already on the list of ${shortDate(problem.day)}: each paper is featured once.`,
      ];
    case 'too-old':
      return [
        422,
        `Only papers published in the last ${problem.maxAgeDays} days can be featured; this one appeared on ${shortDate(problem.publishedAt)}.`,
      ];
    case 'daily-limit':
      return [
        429,
        `You have featured ${problem.limit} papers today, the most a member can in one day. Come back tomorrow.`,
      ];
  }
}

/** The paper for an id, from the store or (when arXiv lookups are on) fetched from arXiv and stored. */
async function findOrFetch(deps: AppDeps, id: string): Promise<Paper | null> {
  const stored = await findPaper(deps.store.db, id);
  if (stored || !deps.arxiv) return stored;
  try {
    await deps.arxiv.addPapers([id], { maxWaitMs: ARXIV_WAIT_MS });
  } catch (err) {
    deps.log.warn({ err, id }, 'looking a submitted paper up on arXiv failed');
    return null;
  }
  return findPaper(deps.store.db, id);
}

async function submit(deps: AppDeps, viewer: Viewer, id: string, comment: string) {
  const limited = await deps.limiter.hit(`submit:${viewer.id}`, SUBMITS_PER_MINUTE);
  if (!limited.ok) return { limited: limited.retryAfterSeconds } as const;
  const paper = await findOrFetch(deps, id);
  if (!paper) return { problem: { kind: 'no-paper' } as SubmitProblem };
  const result = await featurePaper(
    deps.store.db,
    { paperId: id, userId: viewer.id, username: viewer.username, now: new Date() },
    { maxAgeDays: deps.config.FEATURE_MAX_AGE_DAYS, dailyLimit: deps.config.SUBMIT_DAILY_LIMIT },
  );
  if ('problem' in result) return { problem: result.problem };
  if (comment)
    await addComment(deps.store.db, { paperId: id, userId: viewer.id, parentId: null, body: comment });
  return { day: result.day };
}

export const commentSchema = z
  .string()
  .transform((text) => text.replaceAll('\0', '').trim())
  .pipe(z.string().max(MAX_COMMENT_LENGTH, `A comment is at most ${MAX_COMMENT_LENGTH} characters.`));

/** /submit (paste, preview, confirm) and `POST /api/papers/submit {"arxivId", "comment"?}`. */
export function registerSubmitRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/submit', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const input = c.req.query('id') ?? '';
    if (!input) return submitPage(c, deps, {});
    const parsed = parseArxivId(input);
    if (!parsed.ok) return submitPage(c, deps, { input, error: parsed.reason }, 400);
    const paper = await findOrFetch(deps, parsed.value.id);
    if (!paper || paper.hidden)
      return submitPage(c, deps, { input, error: describeProblem({ kind: 'no-paper' })[1] }, 404);
    const feature = await findFeature(deps.store.db, paper.id);
    return submitPage(c, deps, { input, paper, featuredDay: feature?.day ?? null });
  });

  app.post('/submit', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const form = await formFields(c.req);
    const parsed = parseArxivId(form.id ?? '');
    if (!parsed.ok) return submitPage(c, deps, { input: form.id ?? '', error: parsed.reason }, 400);
    const comment = commentSchema.safeParse(form.comment ?? '');
    if (!comment.success)
      return submitPage(c, deps, { input: form.id ?? '', error: comment.error.issues[0]!.message }, 400);
    const result = await submit(deps, auth.viewer, parsed.value.id, comment.data);
    if ('limited' in result) return tooManyRequests(c, result.limited!, 'submissions');
    if ('problem' in result) {
      const [status, message] = describeProblem(result.problem!);
      return submitPage(c, deps, { input: form.id ?? '', error: message }, status);
    }
    return c.redirect(`${paperPath(parsed.value.id)}?featured=1`, 303);
  });

  app.post('/api/papers/submit', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const json = (await c.req.json().catch(() => null)) as { arxivId?: unknown; comment?: unknown } | null;
    if (!json || typeof json !== 'object') return apiError(c, 400, 'send JSON: {"arxivId": "2312.07000"}');
    const parsed = parseArxivId(json.arxivId);
    if (!parsed.ok) return apiError(c, 400, `arxivId: ${parsed.reason}`);
    const comment = commentSchema.safeParse(typeof json.comment === 'string' ? json.comment : '');
    if (!comment.success) return apiError(c, 400, `comment: ${comment.error.issues[0]!.message}`);
    const result = await submit(deps, auth.viewer, parsed.value.id, comment.data);
    if ('limited' in result) return tooManyRequests(c, result.limited!, 'submissions');
    if ('problem' in result) {
      const [status, message] = describeProblem(result.problem!);
      return apiError(c, status as 404, message);
    }
    const [item] = await listFeatures(deps.store.db, {
      start: result.day!,
      end: result.day!,
      submitter: auth.viewer.username,
      sort: 'publishedAt',
      offset: 0,
      limit: 1,
    });
    return c.json(item ? dailyItem(item, deps.site.baseUrl) : { id: parsed.value.id }, 201);
  });
}

function submitPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  state: { input?: string; error?: string; paper?: Paper; featuredDay?: string | null },
  status = 200,
) {
  c.status(status as 200);
  const csrf = c.get('csrf');
  return c.html(
    <Layout
      {...who(c)}
      site={deps.site}
      meta={{ title: 'Submit a paper', path: '/submit', section: 'submit' }}
    >
      <h1>Submit a paper</h1>
      <p class="muted">
        Put a paper on today's list: paste its arXiv id or any link to it (arXiv, PDF, Hugging Face,
        alphaXiv). Papers published in the last {deps.config.FEATURE_MAX_AGE_DAYS} days can be featured, each
        once.
      </p>
      {state.error ? <Notice kind="error">{state.error}</Notice> : null}
      <form method="get" action="/submit" class="form">
        <Field label="arXiv id or URL" name="id" value={state.input} maxlength={2048} />
        <button type="submit">Find the paper</button>
      </form>
      {state.paper ? (
        <>
          <h2>Is this the paper?</h2>
          <ol class="cards">
            <PaperCard paper={state.paper} />
          </ol>
          {state.featuredDay ? (
            <Notice kind="error">
              Already featured on{' '}
              <a href={`/papers/date/${state.featuredDay}`}>{shortDate(state.featuredDay)}</a>.
            </Notice>
          ) : (
            <form method="post" action="/submit" class="form" style="margin-top:12px">
              <CsrfField csrf={csrf} />
              <input type="hidden" name="id" value={state.paper.id} />
              <p class="field">
                <label for="submit-comment">Why it matters (optional, becomes the first comment)</label>
                <textarea id="submit-comment" name="comment" maxlength={MAX_COMMENT_LENGTH} />
              </p>
              <button type="submit" class="primary">
                Feature it today
              </button>
            </form>
          )}
        </>
      ) : null}
    </Layout>,
  );
}
