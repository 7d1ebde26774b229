import type { Context, Hono, Next } from 'hono';
import { approvedClaimsFor, type Claim } from '../authors/claims.store.ts';
import { authorKey } from '../authors/names.ts';
import { CITATION_CONTENT_TYPES, type CitationFormat, renderCitations } from '../citations/formats.ts';
import { canEditLinks } from '../code-links/code-links.store.ts';
import { LinksForm } from '../code-links/routes.tsx';
import { listComments } from '../comments/comments.store.ts';
import { CommentsSection } from '../comments/thread-view.tsx';
import { findFeature } from '../features/features.store.ts';
import { periodContaining } from '../features/periods.ts';
import { FollowButton } from '../follows/follow-button.tsx';
import { isFollowing } from '../follows/follow-state.ts';
import { keyphrasesOf } from '../keywords/keyphrases.store.ts';
import { TopicChips } from '../keywords/topic-chips.tsx';
import { ModerationBox } from '../moderation/moderation-box.tsx';
import { arxivLinks, parseArxivId } from '../papers/arxiv-id.ts';
import { paperMarkdown } from '../papers/markdown.ts';
import type { Paper } from '../papers/paper.ts';
import { PAPER_FILE, PAPER_ID, paperIdParam } from '../papers/paper-path.ts';
import { findPaper, listNewPapers, topCategories } from '../papers/papers.store.ts';
import { readableText } from '../papers/readable-text.ts';
import { tex } from '../papers/tex-text.tsx';
import { paperThumbnail } from '../papers/thumbnail.ts';
import { SimilarPapers } from '../search/similar-view.tsx';
import { hasRole } from '../users/require.ts';
import { VoteButton } from '../votes/vote-button.tsx';
import { prefersMarkdown } from '../web/accept.ts';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { paperPath, shortDate } from '../web/format.ts';
import { CsrfField, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { authorPath } from './author-pages.tsx';
import { voteContext } from './card-context.ts';
import type { AppDeps } from './deps.ts';
import { FeedLinks, feedAlternates } from './feed-routes.tsx';
import { PaperCard, PaperLinks } from './paper-card.tsx';
import { MarkedAbstract } from './topic-pages.tsx';

const NEW_PAGE_SIZE = 30;
const SIMILAR_PAPERS = 5;
const CATEGORY_CACHE_MS = 5 * 60 * 1000;

/** Paper pages (/papers/{id}, .md, thumbnail) and the /new listing. */
export function registerPaperPages(app: Hono<AppEnv>, deps: AppDeps): void {
  let categoryCache: { at: number; value: { category: string; papers: number }[] } | null = null;

  app.get('/new', async (c) => {
    const category = c.req.query('cat')?.trim() || null;
    if (category !== null && !/^[A-Za-z-]+(\.[A-Za-z-]+)?$/.test(category)) {
      c.status(400);
      return c.html(
        <ErrorPage {...who(c)} site={deps.site} status={400} title="Not an arXiv category" path="/new">
          <p>Categories look like cs.CL or hep-th.</p>
        </ErrorPage>,
      );
    }
    const page = Math.min(Math.max(1, Number(c.req.query('page')) || 1), 1000);
    if (!categoryCache || Date.now() - categoryCache.at > CATEGORY_CACHE_MS) {
      categoryCache = { at: Date.now(), value: await topCategories(deps.store.db, 12) };
    }
    const papers = await listNewPapers(deps.store.db, {
      category,
      offset: (page - 1) * NEW_PAGE_SIZE,
      limit: NEW_PAGE_SIZE + 1,
    });
    const base = category ? `/new?cat=${encodeURIComponent(category)}&` : '/new?';
    const following = category
      ? await isFollowing(deps.store.db, c.get('viewer'), 'category', category)
      : false;
    const votes = await voteContext(
      c,
      deps,
      papers.map((p) => p.id),
    );
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{
          title: category ? `New in ${category}` : 'New papers',
          description: 'The newest papers in the store, featured or not.',
          path: category ? `/new?cat=${encodeURIComponent(category)}` : '/new',
          section: 'new',
          alternates: feedAlternates(
            category ? `New in ${category}` : 'New papers',
            category ? `new/${category}` : 'new',
          ),
        }}
      >
        <h1>{category ? `New in ${category}` : 'New papers'}</h1>
        <p class="muted small">The newest papers in the store, featured or not, by arXiv date.</p>
        {category ? (
          <FollowButton
            kind="category"
            value={category}
            following={following}
            viewer={c.get('viewer')}
            csrf={c.get('csrf')}
            next={`/new?cat=${encodeURIComponent(category)}`}
          />
        ) : null}
        <FeedLinks path={category ? `new/${category}` : 'new'} />
        <nav class="filters" aria-label="Categories">
          <a href="/new" aria-current={category === null ? 'page' : undefined}>
            All
          </a>
          {categoryCache.value.map((cat) => (
            <a
              href={`/new?cat=${encodeURIComponent(cat.category)}`}
              aria-current={cat.category === category ? 'page' : undefined}
            >
              {cat.category}
            </a>
          ))}
        </nav>
        {papers.length === 0 ? (
          <p class="empty">
            {category ? `No papers in ${category} yet.` : 'No papers yet.'} Papers arrive with the daily arXiv
            harvest (<code>paperboy harvest</code>) or <code>paperboy import</code>.
          </p>
        ) : null}
        <ol class="cards">
          {papers.slice(0, NEW_PAGE_SIZE).map((paper) => (
            <PaperCard paper={paper} votes={votes} />
          ))}
        </ol>
        <nav class="pager" style="margin-top:16px" aria-label="Pages">
          {page > 1 ? <a href={`${base}page=${page - 1}`}>← Newer</a> : null}
          {papers.length > NEW_PAGE_SIZE ? <a href={`${base}page=${page + 1}`}>Older →</a> : null}
        </nav>
      </Layout>,
    );
  });

  /**
   * Shows the paper a route names by `raw`, at `suffix`; a versioned or non-canonical id redirects to the
   * canonical address (one page per paper), and an id that does not hold up is left to the next route.
   */
  const atCanonical = async (
    c: Context<AppEnv>,
    next: Next,
    raw: string | undefined,
    suffix: string,
    show: (id: string) => Promise<Response>,
  ) => {
    const parsed = paperIdParam(raw);
    if (!parsed) return next();
    if (parsed.version !== null || raw !== parsed.id)
      return c.redirect(`${paperPath(parsed.id)}${suffix}`, 301);
    return show(parsed.id);
  };
  // as on Hugging Face, `Accept: text/markdown` on the page's URL answers what `.md` does (one URL, two variants)
  app.get(`/papers/${PAPER_ID}`, async (c, next) => {
    c.header('Vary', 'Accept');
    return atCanonical(c, next, c.req.param('id'), '', (id) =>
      prefersMarkdown(c.req.header('accept')) ? markdownPage(c, deps, id) : paperPage(c, deps, id),
    );
  });
  app.get(`/papers/${PAPER_ID}/thumbnail.svg`, async (c, next) =>
    atCanonical(c, next, c.req.param('id'), '/thumbnail.svg', (id) => thumbnail(c, deps, id)),
  );
  app.get(`/papers/${PAPER_FILE}`, async (c, next) => {
    const file = c.req.param('file') ?? '';
    const dot = file.lastIndexOf('.');
    const suffix = file.slice(dot);
    const format = CITATION_SUFFIXES[suffix];
    if (suffix !== '.md' && !format) return next();
    return atCanonical(c, next, file.slice(0, dot), suffix, async (id) =>
      format ? citationFile(c, deps, id, format) : markdownPage(c, deps, id),
    );
  });
}

async function paperPage(c: Context<AppEnv>, deps: AppDeps, id: string) {
  const [paper, feature] = await Promise.all([findPaper(deps.store.db, id), findFeature(deps.store.db, id)]);
  const viewer = c.get('viewer');
  const moderator = hasRole(viewer, 'moderator');
  if (!paper || (paper.hidden && !moderator)) return paperNotFound(c, deps, id);
  const [comments, votes, similar, claims, editLinks, phrases] = await Promise.all([
    listComments(deps.store.db, id),
    voteContext(c, deps, [id]),
    deps.search.similar(id, SIMILAR_PAPERS),
    approvedClaimsFor(deps.store.db, paper.authors.map(authorKey)),
    canEditLinks(deps.store.db, viewer, id, paper.authors, moderator),
    keyphrasesOf(deps.store.db, id),
  ]);
  const path = paperPath(paper.id);
  const csrf = c.get('csrf');
  return c.html(
    <Layout
      {...who(c)}
      site={deps.site}
      meta={{
        title: readableText(paper.title),
        description: readableText(paper.abstract).slice(0, 300),
        path,
        ogType: 'article',
      }}
    >
      <article>
        {paper.hidden ? (
          <Notice kind="error">This paper is hidden by the moderators: only moderators see it.</Notice>
        ) : null}
        <header class="paper-head">
          <h1>{tex(paper.title)}</h1>
          <AuthorList authors={paper.authors} claims={claims} />
          <p class="meta">
            {paper.publishedAt ? (
              <span>
                Published on arXiv <time datetime={paper.publishedAt}>{shortDate(paper.publishedAt)}</time>
              </span>
            ) : null}
            {paper.version ? <span>v{paper.version}</span> : null}
            {paper.updatedAt && paper.updatedAt !== paper.publishedAt ? (
              <span>updated {shortDate(paper.updatedAt)}</span>
            ) : null}
          </p>
          <div class="links">
            <PaperLinks paper={paper} arxivLabel="arXiv page" />
            <a href={`${path}.md`}>Markdown</a>
            <CiteLinks path={path} />
          </div>
        </header>
        <div class="paper-layout">
          <div>
            {paper.aiSummary ? (
              <p class="ai-summary">
                <strong>AI summary</strong>
                <span class="muted small">
                  {' '}
                  {paper.aiSummaryOrigin === 'local'
                    ? `(written by ${paper.aiSummaryModel ?? 'a language model'})`
                    : `(imported from Hugging Face${paper.aiSummaryModel ? `; written by ${paper.aiSummaryModel}` : ''})`}
                </span>
                : {paper.aiSummary}
              </p>
            ) : null}
            <h2>Abstract</h2>
            {paper.abstract ? (
              <MarkedAbstract text={paper.abstract} phrases={phrases} />
            ) : (
              <p class="abstract">No abstract.</p>
            )}
            <TopicChips phrases={phrases} />
            {paper.aiKeywords.length > 0 ? (
              <p class="links">
                {paper.aiKeywords.map((k) => (
                  <span class="chip">{k}</span>
                ))}
              </p>
            ) : null}
            <Facts paper={paper} />
            <CommentsSection
              comments={comments}
              ctx={{
                paperId: paper.id,
                viewer,
                csrf,
                submitterId: feature?.submitter_id ?? null,
                authorIds: new Set([...claims.values()].map((claim) => claim.userId)),
                editWindowMinutes: deps.config.COMMENT_EDIT_MINUTES,
              }}
            />
          </div>
          <aside class="paper-side">
            <div class="box">
              <h2>Upvotes</h2>
              <div class="big-votes">
                <VoteButton
                  paperId={paper.id}
                  upvotes={paper.upvotes}
                  state={votes.stateOf(paper.id)}
                  csrf={votes.csrf}
                  next={path}
                />
              </div>
            </div>
            <div class="box">
              <h2>Daily Papers</h2>
              {feature ? (
                <p style="margin:0">
                  Featured on <a href={`/papers/date/${feature.day}`}>{shortDate(feature.day)}</a>
                  {feature.submitter ? (
                    <>
                      {' '}
                      by <a href={`/u/${feature.submitter}`}>{feature.submitter}</a>
                    </>
                  ) : null}
                  . <a href={`/papers/week/${periodContaining('week', feature.day).key}`}>That week</a>
                </p>
              ) : (
                <p style="margin:0" class="muted">
                  Not featured on a daily list.{' '}
                  {viewer ? <a href={`/submit?id=${encodeURIComponent(paper.id)}`}>Submit it</a> : null}
                </p>
              )}
            </div>
            {editLinks ? (
              <LinksForm
                paperId={paper.id}
                githubRepo={paper.githubRepo}
                projectPage={paper.projectPage}
                csrf={csrf}
              />
            ) : null}
            <SimilarPapers hits={similar ?? []} />
            {moderator ? (
              <ModerationBox
                paperId={paper.id}
                featured={feature !== null}
                hidden={paper.hidden}
                csrf={csrf}
              />
            ) : null}
          </aside>
        </div>
      </article>
    </Layout>,
  );
}

/** Past this many authors (a large lab's technical report lists a hundred or more), the rest wait behind "more". */
const AUTHORS_SHOWN = 20;

/**
 * The authors, each linked to their page, with a badge for those a moderator confirmed as members; a long list
 * shows its first AUTHORS_SHOWN and the rest on a click (a plain <details>: no JavaScript).
 */
function AuthorList(props: { authors: string[]; claims: Map<string, Claim> }) {
  const author = (name: string, i: number) => {
    const claim = props.claims.get(authorKey(name));
    return (
      <>
        {i > 0 ? ', ' : ''}
        <a href={authorPath(name)}>{name}</a>
        {claim ? (
          <>
            {' '}
            <a class="badge author" href={`/u/${claim.username}`} title="Confirmed author">
              ✓ {claim.username}
            </a>
          </>
        ) : null}
      </>
    );
  };
  const { authors } = props;
  if (authors.length <= AUTHORS_SHOWN + 5) return <p class="authors author-list">{authors.map(author)}</p>;
  return (
    <details class="authors author-list">
      <summary>
        {authors.slice(0, AUTHORS_SHOWN).map(author)}
        <span class="more"> and {authors.length - AUTHORS_SHOWN} more</span>
      </summary>
      {authors.slice(AUTHORS_SHOWN).map((name, i) => author(name, AUTHORS_SHOWN + i))}
    </details>
  );
}

function Facts(props: { paper: Paper }) {
  const p = props.paper;
  if (!p.comments && !p.journalRef && !p.doi) return null;
  return (
    <>
      <h2>Details</h2>
      <dl class="facts">
        {p.comments ? (
          <>
            <dt>Comments</dt>
            <dd>{p.comments}</dd>
          </>
        ) : null}
        {p.journalRef ? (
          <>
            <dt>Journal ref.</dt>
            <dd>{p.journalRef}</dd>
          </>
        ) : null}
        {p.doi ? (
          <>
            <dt>DOI</dt>
            <dd>
              <a href={`https://doi.org/${encodeURI(p.doi)}`} rel="noopener">
                {p.doi}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
    </>
  );
}

function paperNotFound(c: Context<AppEnv>, deps: AppDeps, id: string) {
  c.status(404);
  const valid = parseArxivId(id).ok;
  return c.html(
    <ErrorPage
      {...who(c)}
      site={deps.site}
      status={404}
      title="We don't have this paper"
      path={paperPath(id)}
    >
      <p>
        Paper <code>{id}</code> is not in this instance yet.
        {valid ? (
          <>
            {' '}
            It may be on arXiv:{' '}
            <a href={arxivLinks(id).abs} rel="noopener">
              {arxivLinks(id).abs}
            </a>
            .
          </>
        ) : null}
      </p>
      {valid && deps.arxiv ? (
        <form method="post" action="/papers/add" class="inline">
          <CsrfField csrf={c.get('csrf')} />
          <input type="hidden" name="id" value={id} />
          <button type="submit">Add this paper from arXiv</button>
        </form>
      ) : null}
    </ErrorPage>,
  );
}

async function markdownPage(c: Context<AppEnv>, deps: AppDeps, id: string) {
  const [paper, feature] = await Promise.all([findPaper(deps.store.db, id), findFeature(deps.store.db, id)]);
  if (!paper || paper.hidden) {
    c.header('Content-Type', 'text/markdown; charset=utf-8');
    return c.body(`# Not found\n\nPaper ${id} is not in this instance.\n`, 404);
  }
  c.header('Content-Type', 'text/markdown; charset=utf-8');
  return c.body(paperMarkdown(paper, feature, deps.site.baseUrl));
}

const CITATION_SUFFIXES: Record<string, CitationFormat | undefined> = {
  '.bib': 'bib',
  '.ris': 'ris',
  '.json': 'csl',
};

/** `/papers/{id}.bib|.ris|.json`: the paper's citation as BibTeX, RIS or CSL-JSON. */
async function citationFile(c: Context<AppEnv>, deps: AppDeps, id: string, format: CitationFormat) {
  const paper = await findPaper(deps.store.db, id);
  if (!paper || paper.hidden) return c.text(`Paper ${id} is not in this instance.`, 404);
  c.header('Content-Type', CITATION_CONTENT_TYPES[format]);
  c.header('Access-Control-Allow-Origin', '*');
  const ext = format === 'csl' ? 'json' : format;
  c.header('Content-Disposition', `inline; filename="${id.replace('/', '-')}.${ext}"`);
  return c.body(renderCitations(format, [paper]));
}

/** "Cite": a link to the BibTeX that cite.js turns into copy-to-clipboard; RIS and CSL-JSON beside it. */
export function CiteLinks(props: { path: string }) {
  return (
    <span class="cite-links">
      <a href={`${props.path}.bib`} data-cite="bibtex" class="cite" title="Copy the BibTeX citation">
        Cite
      </a>{' '}
      <a href={`${props.path}.ris`} class="small muted" title="RIS (Zotero, EndNote, Mendeley)">
        RIS
      </a>{' '}
      <a href={`${props.path}.json`} class="small muted" title="CSL-JSON">
        CSL
      </a>
    </span>
  );
}

async function thumbnail(c: Context<AppEnv>, deps: AppDeps, id: string) {
  const paper = await findPaper(deps.store.db, id);
  if (!paper || paper.hidden) return c.notFound();
  c.header('Content-Type', 'image/svg+xml');
  c.header('Cache-Control', 'public, max-age=86400');
  return c.body(paperThumbnail(paper, deps.site.name));
}
