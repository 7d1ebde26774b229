import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { candidatePapers } from '../authors/authors.store.ts';
import { approvedClaim, decideClaim, fileClaim, pendingClaims } from '../authors/claims.store.ts';
import { attributePapers } from '../authors/identity.ts';
import { authorKey, foldName } from '../authors/names.ts';
import { FollowButton } from '../follows/follow-button.tsx';
import { isFollowing } from '../follows/follow-state.ts';
import { hasRole, requireViewer } from '../users/require.ts';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { plural, shortDate } from '../web/format.ts';
import { CsrfField, formFields, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { rowId } from '../web/params.ts';
import { voteContext } from './card-context.ts';
import type { AppDeps } from './deps.ts';
import { PaperCard } from './paper-card.tsx';

const CLAIM_LIMIT = { max: 5, windowMs: 86_400_000 };
const PAGE_PAPERS = 100;

/** `/authors/{name}` as a link: the name as written, encoded. */
export function authorPath(name: string): string {
  return `/authors/${encodeURIComponent(name)}`;
}

const claimForm = z.object({
  name: z
    .string()
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(2, 'Give the author name as it appears on papers.')
        .max(100, 'A name is at most 100 characters.'),
    ),
  evidence: z.string().max(1000, 'Evidence is at most 1000 characters.').default(''),
});

/** Author pages, authorship claims, and the moderators' queue of claims. */
export function registerAuthorRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/authors/:name', async (c) => {
    const name = c.req.param('name').replace(/\s+/g, ' ').trim();
    const key = authorKey(name);
    if (name.length > 100 || foldName(name).length < 2) return authorNotFound(c, deps, name.slice(0, 100));
    const candidates = await candidatePapers(deps.store, name);
    const attribution = attributePapers(name, candidates);
    const byId = new Map(candidates.map((p) => [p.id, p]));
    const ids = [...attribution.exact, ...attribution.merged.map((m) => m.paperId)];
    if (ids.length === 0) return authorNotFound(c, deps, name);
    const papers = ids
      .map((id) => byId.get(id)!)
      .sort((a, b) => ((a.publishedAt ?? '') < (b.publishedAt ?? '') ? 1 : -1));
    // the spelling most used on the exact papers is the page's title
    const spellings = new Map<string, number>();
    const coauthors = new Map<string, { name: string; papers: number }>();
    const own = new Set([key, ...attribution.merged.map((m) => authorKey(m.as))]);
    for (const p of papers) {
      for (const a of p.authors) {
        const k = authorKey(a);
        if (k === key) spellings.set(a, (spellings.get(a) ?? 0) + 1);
        if (own.has(k)) continue;
        const entry = coauthors.get(k) ?? { name: a, papers: 0 };
        entry.papers++;
        coauthors.set(k, entry);
      }
    }
    const title = [...spellings.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? name;
    const upvotes = papers.reduce((sum, p) => sum + p.upvotes, 0);
    const [claim, votes, following] = await Promise.all([
      approvedClaim(deps.store.db, key),
      voteContext(
        c,
        deps,
        papers.slice(0, PAGE_PAPERS).map((p) => p.id),
      ),
      isFollowing(deps.store.db, c.get('viewer'), 'author', title),
    ]);
    const viewer = c.get('viewer');
    const mergedAs = new Map(attribution.merged.map((m) => [m.paperId, m.as]));
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{ title, path: authorPath(title), description: `Papers by ${title}` }}
      >
        <h1>
          {title}
          {claim ? (
            <>
              {' '}
              <a
                class="badge author"
                href={`/u/${claim.username}`}
                title="A moderator confirmed this member is the author"
              >
                ✓ {claim.username}
              </a>
            </>
          ) : null}
        </h1>
        <p class="muted">
          {plural(papers.length, 'paper')} · {plural(upvotes, 'upvote')} ·{' '}
          {plural(coauthors.size, 'co-author')}
        </p>
        <FollowButton
          kind="author"
          value={title}
          following={following}
          viewer={viewer}
          csrf={c.get('csrf')}
          next={authorPath(title)}
        />
        {attribution.merged.length > 0 ? (
          <p class="small muted">
            {plural(attribution.merged.length, 'paper')} listed under an abbreviated name (
            {[...new Set(attribution.merged.map((m) => m.as))].join(', ')}){' '}
            {attribution.merged.length === 1 ? 'is' : 'are'} included because{' '}
            {attribution.merged.length === 1 ? 'it shares' : 'they share'} co-authors with this author's other
            papers.
          </p>
        ) : null}
        {attribution.related.length > 0 ? (
          <p class="small muted">
            Possibly the same person, not merged without evidence:{' '}
            {attribution.related.slice(0, 10).map((k, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={authorPath(displayOf(k, candidates))}>{displayOf(k, candidates)}</a>
              </>
            ))}
          </p>
        ) : null}
        <div class="paper-layout">
          <div>
            <ol class="cards">
              {papers.slice(0, PAGE_PAPERS).map((p) => (
                <>
                  <PaperCard paper={p} votes={votes} />
                  {mergedAs.has(p.id) ? <li class="reason">listed as “{mergedAs.get(p.id)}”</li> : null}
                </>
              ))}
            </ol>
          </div>
          <aside class="paper-side">
            <div class="box">
              <h2>Co-authors</h2>
              <ul class="collections">
                {[...coauthors.values()]
                  .sort((a, b) => b.papers - a.papers || a.name.localeCompare(b.name))
                  .slice(0, 20)
                  .map((co) => (
                    <li>
                      <a href={authorPath(co.name)}>{co.name}</a> <span class="muted small">{co.papers}</span>
                    </li>
                  ))}
              </ul>
            </div>
            {claim ? null : viewer ? (
              <div class="box">
                <h2>Is this you?</h2>
                <form method="post" action="/authors/claim" class="form">
                  <CsrfField csrf={c.get('csrf')} />
                  <input type="hidden" name="name" value={title} />
                  <label for="claim-evidence">
                    How a moderator can check (your homepage, ORCID, institutional email…)
                  </label>
                  <textarea id="claim-evidence" name="evidence" maxlength={1000} />
                  <button type="submit">Claim authorship</button>
                </form>
              </div>
            ) : (
              <p class="small muted">
                <a href={`/login?next=${encodeURIComponent(authorPath(title))}`}>Log in</a> to claim this
                author page.
              </p>
            )}
          </aside>
        </div>
      </Layout>,
    );
  });

  app.post('/authors/claim', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const parsed = claimForm.safeParse(await formFields(c.req));
    if (!parsed.success) return c.text(parsed.error.issues[0]!.message, 400);
    const limited = await deps.limiter.hit(`claim:${auth.viewer.id}`, CLAIM_LIMIT);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'authorship claims');
    const key = authorKey(parsed.data.name);
    if (key.length < 2) return c.text('Give the author name as it appears on papers.', 400);
    const known = attributePapers(parsed.data.name, await candidatePapers(deps.store, parsed.data.name));
    if (known.exact.length === 0) return c.text('No paper here lists that author name.', 404);
    const result = await fileClaim(deps.store.db, auth.viewer.id, {
      authorKey: key,
      authorName: parsed.data.name,
      evidence: parsed.data.evidence.trim(),
    });
    const messages = {
      created: 'Your claim was filed: a moderator will look at it.',
      pending: 'You already claimed this name: a moderator will look at it.',
      'already-yours': 'This author name is already yours.',
      taken: 'Another member holds this author name. Write to the moderators if that is wrong.',
    };
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Authorship claim', path: '/authors/claim' }}>
        <h1>Authorship claim</h1>
        <Notice kind={result === 'taken' ? 'error' : 'ok'}>{messages[result]}</Notice>
        <p>
          <a href={authorPath(parsed.data.name)}>Back to {parsed.data.name}</a>
        </p>
      </Layout>,
      result === 'taken' ? 409 : 200,
    );
  });

  const moderator = (c: Context<AppEnv>) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth;
    if (!hasRole(auth.viewer, 'moderator')) return { response: c.text('Only moderators can do this.', 403) };
    return auth;
  };

  app.get('/moderation/claims', async (c) => {
    const auth = moderator(c);
    if ('response' in auth) return auth.response;
    const claims = await pendingClaims(deps.store.db);
    c.header('Cache-Control', 'private, no-store');
    const csrf = c.get('csrf');
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Authorship claims', path: '/moderation/claims' }}>
        <h1>Authorship claims</h1>
        {claims.length === 0 ? <p class="empty">No claim is waiting.</p> : null}
        <ol class="collections">
          {claims.map((claim) => (
            <li class="box">
              <strong>
                <a href={`/u/${claim.username}`}>{claim.username}</a>
              </strong>{' '}
              claims to be <a href={authorPath(claim.authorName)}>{claim.authorName}</a>{' '}
              <span class="muted small">{shortDate(claim.createdAt)}</span>
              <p class="small">{claim.evidence || 'No evidence given.'}</p>
              {(['approve', 'reject'] as const).map((decision) => (
                <form method="post" action={`/moderation/claims/${claim.id}/${decision}`} class="inline">
                  <CsrfField csrf={csrf} />
                  <input
                    name="reason"
                    maxlength={500}
                    placeholder="Reason (public log)"
                    aria-label={`Reason to ${decision}`}
                  />
                  <button type="submit">{decision === 'approve' ? 'Approve' : 'Reject'}</button>
                </form>
              ))}
            </li>
          ))}
        </ol>
      </Layout>,
    );
  });

  app.post('/moderation/claims/:id/:decision{approve|reject}', async (c) => {
    const auth = moderator(c);
    if ('response' in auth) return auth.response;
    const id = rowId(c.req.param('id'));
    if (id === null) return c.text('No such claim.', 404);
    const limited = await deps.limiter.hit(`claim-decisions:${auth.viewer.id}`, {
      max: 120,
      windowMs: 60_000,
    });
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'decisions');
    const reason = ((await formFields(c.req)).reason ?? '').trim().slice(0, 500) || null;
    const result = await decideClaim(
      deps.store.db,
      auth.viewer.id,
      id,
      c.req.param('decision') === 'approve',
      reason,
    );
    if (result === 'not-found') return c.text('No such pending claim.', 404);
    if (result === 'conflict') return c.text('Another member already holds this author name.', 409);
    return c.redirect('/moderation/claims', 303);
  });
}

/** A readable spelling for a key, from the candidate papers. */
function displayOf(key: string, papers: { authors: string[] }[]): string {
  for (const p of papers) for (const a of p.authors) if (authorKey(a) === key) return a;
  return key;
}

function authorNotFound(c: Context<AppEnv>, deps: AppDeps, name: string) {
  c.status(404);
  return c.html(
    <ErrorPage {...who(c)} site={deps.site} status={404} title="No papers by this author" path={c.req.path}>
      <p>No paper in this instance lists “{name}” as an author.</p>
    </ErrorPage>,
  );
}
