import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ArxivApiError } from '../ingest/arxiv-lookup.ts';
import { FetchDeadlineError, FetchError } from '../ingest/polite-fetch.ts';
import { parseArxivId } from '../papers/arxiv-id.ts';
import { findPaper } from '../papers/papers.store.ts';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { paperPath } from '../web/format.ts';
import { who } from '../web/layout.tsx';
import type { AppDeps } from './deps.ts';

/** How long a person waits for arXiv's turn (the fetcher keeps 3 s between requests, harvest included). */
const MAX_WAIT_MS = 20_000;
const HOUR_MS = 3_600_000;

/**
 * `POST /papers/add` (form field `id`): "Add this paper" on the page of a paper the instance does not have.
 * Looks the id up with the arXiv API, stores it through the import writer, and redirects to its page.
 * Anyone may ask (the form is on a 404 page), so besides the site-wide CSRF checks this form must positively
 * come from this site: `Sec-Fetch-Site` must be `same-origin`, or without it `Origin` must be this site (OWASP
 * CSRF cheat sheet, "Verifying origin with standard headers"). Rate-limited per client address.
 */
export function registerAddPaper(app: Hono<AppEnv>, deps: AppDeps): void {
  const limit = { max: deps.config.ADD_PAPER_LIMIT_PER_HOUR, windowMs: HOUR_MS };
  const page = (
    c: Context<AppEnv>,
    status: 400 | 403 | 404 | 413 | 429 | 502 | 503,
    title: string,
    text: string,
  ) => {
    c.status(status);
    return c.html(
      <ErrorPage {...who(c)} site={deps.site} status={status} title={title} path="/papers/add">
        <p>{text}</p>
      </ErrorPage>,
    );
  };

  app.post(
    '/papers/add',
    bodyLimit({
      maxSize: 4096,
      onError: (c) => page(c, 413, 'Too much data', 'This form sends one arXiv id.'),
    }),
    async (c) => {
      if (!deps.arxiv)
        return page(c, 404, 'Adding papers is turned off', 'This instance does not look papers up on arXiv.');
      if (!sameOrigin(c, deps.site.baseUrl)) {
        return page(c, 403, 'Refused', 'This form must be sent from a page of this site.');
      }
      const verdict = await deps.limiter.hit(`add-paper:${c.get('clientAddress')}`, limit);
      if (!verdict.ok) {
        c.header('Retry-After', String(verdict.retryAfterSeconds));
        return page(
          c,
          429,
          'Too many papers added',
          `Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minute(s).`,
        );
      }
      let raw: unknown;
      try {
        raw = (await c.req.parseBody()).id;
      } catch {
        raw = undefined;
      }
      if (typeof raw !== 'string' || raw.trim() === '')
        return page(c, 400, 'No arXiv id', 'Give the arXiv id of a paper.');
      const parsed = parseArxivId(raw);
      if (!parsed.ok) return page(c, 400, 'Not an arXiv id', parsed.reason);
      const { id } = parsed.value;
      if (await findPaper(deps.store.db, id)) return c.redirect(paperPath(id), 303);
      try {
        const result = await deps.arxiv.addPapers([id], { maxWaitMs: MAX_WAIT_MS });
        if (result.missing.includes(id)) {
          return page(c, 404, 'arXiv has no such paper', `arXiv returned nothing for ${id}.`);
        }
      } catch (err) {
        deps.log.warn({ err, id }, 'adding a paper from arXiv failed');
        if (err instanceof FetchDeadlineError) {
          c.header('Retry-After', '60');
          return page(
            c,
            503,
            'arXiv is busy',
            'Paperboy asks arXiv one thing at a time. Try again in a minute.',
          );
        }
        if (err instanceof ArxivApiError || err instanceof FetchError) {
          return page(c, 502, 'arXiv could not be asked', 'arXiv did not answer usefully. Try again later.');
        }
        throw err;
      }
      return c.redirect(paperPath(id), 303);
    },
  );
}

/** True when the browser says the form came from this site (Fetch Metadata, else the Origin header). */
function sameOrigin(c: Context<AppEnv>, baseUrl: string): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = c.req.header('origin');
  if (!origin) return false;
  return origin === new URL(baseUrl).origin || origin === new URL(c.req.url).origin;
}
