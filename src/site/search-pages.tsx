import type { Context, Hono } from 'hono';
import { FollowButton } from '../follows/follow-button.tsx';
import { isFollowing } from '../follows/follow-state.ts';
import { type SearchParams, searchPageQuery, searchParams, searchUrl } from '../search/request.ts';
import type { SearchOutcome } from '../search/search-service.ts';
import { firstIssue } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import { Layout, who } from '../web/layout.tsx';
import { voteContext } from './card-context.ts';
import type { AppDeps } from './deps.ts';
import { FeedLinks, feedAlternates } from './feed-routes.tsx';
import { PAGE_SIZE, SearchResults } from './search-results.tsx';

/** The live-results address the header's search box asks as the reader types (htmx). */
export const LIVE_SEARCH_PATH = '/search/live';

/**
 * `/papers?q=…`: papers by relevance (or date, or upvotes) with the matched words marked, filters and pages.
 * `/search/live?q=…` answers the same results without the page around them, for htmx in the header's box;
 * it tells htmx to show `/papers?q=…` in the address bar, so reloading or sharing gives the full page.
 */
export function registerSearchPages(app: Hono<AppEnv>, deps: AppDeps): void {
  async function results(c: Context<AppEnv>) {
    const parsed = searchPageQuery.safeParse(c.req.query());
    let params: SearchParams = {
      q: (c.req.query('q') ?? '').slice(0, 300).trim(),
      sort: 'relevance',
      filters: { category: null, featuredOnly: false, after: null, before: null },
    };
    let error: string | null = null;
    let outcome: SearchOutcome | null = null;
    let page = 1;
    if (!parsed.success) {
      error = firstIssue(parsed.error);
      c.status(400);
    } else {
      params = searchParams(parsed.data);
      page = parsed.data.page;
      if (params.q) {
        outcome = await deps.search.search({
          q: params.q,
          filters: params.filters,
          sort: params.sort,
          offset: (page - 1) * PAGE_SIZE,
          limit: PAGE_SIZE,
        });
      }
    }
    const votes = await voteContext(
      c,
      deps,
      (outcome?.hits ?? []).map((h) => h.paper.id),
    );
    return { params, page, outcome, error, votes };
  }

  app.get('/papers', async (c) => {
    const r = await results(c);
    const path = r.params.q ? searchUrl(r.params, r.page) : '/papers?q=';
    // a query that searched can be followed as a feed of its newest matches
    const feedQuery = r.outcome ? `?q=${encodeURIComponent(r.params.q)}` : null;
    // saved as the query language says it: the filter form's category joins the words as cat:
    const saved = r.params.filters.category ? `${r.params.q} cat:${r.params.filters.category}` : r.params.q;
    const following = r.outcome ? await isFollowing(deps.store.db, c.get('viewer'), 'search', saved) : false;
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{
          title: r.params.q ? `Search: ${r.params.q.slice(0, 60)}` : 'Search',
          path,
          query: r.params.q,
          section: 'search',
          alternates: feedQuery
            ? feedAlternates(`Search: ${r.params.q.slice(0, 60)}`, 'search', feedQuery)
            : undefined,
        }}
      >
        <SearchResults {...r} />
        {r.outcome ? (
          <FollowButton
            kind="search"
            value={saved}
            following={following}
            viewer={c.get('viewer')}
            csrf={c.get('csrf')}
            next={path}
          />
        ) : null}
        {feedQuery ? (
          <FeedLinks path="search" query={feedQuery} label="Follow this search as a feed" />
        ) : null}
      </Layout>,
    );
  });

  app.get(LIVE_SEARCH_PATH, async (c) => {
    const r = await results(c);
    c.header('HX-Push-Url', r.params.q ? searchUrl(r.params, r.page) : '/papers?q=');
    c.header('Vary', 'HX-Request');
    return c.html(<SearchResults {...r} />);
  });
}
