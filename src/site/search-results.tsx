import { MAX_QUERY_LENGTH } from '../search/query-parse.ts';
import { type SearchParams, searchUrl } from '../search/request.ts';
import type { SearchOutcome } from '../search/search-service.ts';
import type { VoteContext } from './card-context.ts';
import { PaperCard } from './paper-card.tsx';

export const PAGE_SIZE = 20;

/** The searches people can type, shown when the box is empty or nothing matched. */
function Help() {
  return (
    <details class="search-help">
      <summary>How to search</summary>
      <ul class="small">
        <li>
          <code>sparse experts</code>: papers with both words, in any form (<em>aligning</em> finds{' '}
          <em>alignment</em>)
        </li>
        <li>
          <code>"mixture of experts"</code>: the exact phrase; <code>-vision</code> leaves a word out
        </li>
        <li>
          <code>diffusion OR flow</code>: either word
        </li>
        <li>
          <code>author:hinton</code>, <code>author:"yann lecun"</code>, <code>cat:cs.CL</code>
        </li>
        <li>
          <code>year:2024</code>, <code>after:2024-05</code>, <code>before:2023-12-31</code>
        </li>
      </ul>
    </details>
  );
}

/** Sort links and the filter form: plain GET links and a form, so they work without JavaScript. */
function Controls(props: { params: SearchParams }) {
  const { params } = props;
  const sorts = [
    ['relevance', 'Best match'],
    ['date', 'Newest'],
    ['upvotes', 'Most upvoted'],
  ] as const;
  return (
    <div class="search-controls">
      <nav class="filters" aria-label="Sort">
        {sorts.map(([sort, label]) => (
          <a
            href={searchUrl({ ...params, sort })}
            aria-current={params.sort === sort ? 'page' : undefined}
            rel="nofollow"
          >
            {label}
          </a>
        ))}
      </nav>
      <form class="search-filters" action="/papers" method="get">
        <input type="hidden" name="q" value={params.q} />
        {params.sort !== 'relevance' ? <input type="hidden" name="sort" value={params.sort} /> : null}
        <label>
          Category{' '}
          <input
            name="cat"
            value={params.filters.category ?? ''}
            placeholder="cs.CL"
            size={8}
            maxlength={41}
            pattern="[A-Za-z\-]+(\.[A-Za-z\-]+)?"
          />
        </label>
        <label>
          From <input type="date" name="after" value={params.filters.after ?? ''} />
        </label>
        <label>
          to <input type="date" name="before" value={params.filters.before ?? ''} />
        </label>
        <label>
          <input type="checkbox" name="featured" value="1" checked={params.filters.featuredOnly} /> Featured
          only
        </label>
        <button type="submit">Filter</button>
      </form>
    </div>
  );
}

/** The whole body of a search: heading, notices, controls, results and pager (also htmx's live results). */
export function SearchResults(props: {
  params: SearchParams;
  page: number;
  outcome: SearchOutcome | null;
  error: string | null;
  votes: VoteContext;
}) {
  const { params, page, outcome, error, votes } = props;
  const q = params.q;
  const hits = outcome?.hits ?? [];
  return (
    <div id="search-results">
      <h1>{q ? `Papers about “${q.slice(0, 80)}”` : 'Search papers'}</h1>
      {error ? (
        <p class="empty" role="alert">
          {error}
        </p>
      ) : null}
      {!error && !q ? (
        <p class="empty">Type words to look for in titles, abstracts, authors and categories.</p>
      ) : null}
      {outcome?.suggestion ? (
        <p class="suggestion">
          Did you mean <a href={searchUrl({ ...params, q: outcome.suggestion })}>{outcome.suggestion}</a>?
        </p>
      ) : null}
      {outcome?.widened && hits.length > 0 ? (
        <p class="muted small">No paper has all the words; these have some of them.</p>
      ) : null}
      {!error && q ? <Controls params={params} /> : null}
      {!error && q && outcome && hits.length === 0 ? (
        <p class="empty">
          No paper matches “{q.slice(0, 80)}”{page > 1 ? ' on this page' : ''}. Try fewer or different words.
        </p>
      ) : null}
      {!error && (!q || hits.length === 0) ? <Help /> : null}
      {outcome?.mode === 'hybrid' ? (
        <p class="muted small">Ranked by words and by meaning (semantic search).</p>
      ) : null}
      <ol class="cards">
        {hits.map((hit) => (
          <PaperCard
            paper={hit.paper}
            feature={hit.featuredDay ? { day: hit.featuredDay, submitter: hit.submitter } : null}
            marked={{ title: hit.highlightedTitle, summary: hit.highlightedSummary }}
            votes={votes}
          />
        ))}
      </ol>
      <nav class="pager" aria-label="Pages">
        {page > 1 ? <a href={searchUrl(params, page - 1)}>← Previous</a> : null}
        {outcome?.more && page < 50 ? <a href={searchUrl(params, page + 1)}>Next →</a> : null}
      </nav>
      <p class="muted small" hidden={q.length <= MAX_QUERY_LENGTH}>
        Queries are at most {MAX_QUERY_LENGTH} characters.
      </p>
    </div>
  );
}
