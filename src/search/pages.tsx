import type { Hono } from 'hono';
import { FeedLinks, feedAlternates } from '../feeds/routes.tsx';
import { voteContext } from '../votes/vote-context.ts';
import type { AppDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { Layout, who } from '../web/layout.tsx';
import { PaperCard } from '../web/paper-card.tsx';
import { MAX_QUERY_LENGTH, toFtsQuery } from './query.ts';
import { searchPapers } from './search.store.ts';

const PAGE_SIZE = 20;

/** `/papers?q=…`: papers by relevance, with the matched words marked. */
export function registerSearchPages(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/papers', async (c) => {
    const q = (c.req.query('q') ?? '').trim();
    const page = Math.min(Math.max(1, Number(c.req.query('page')) || 1), 100);
    const tooLong = q.length > MAX_QUERY_LENGTH;
    const query = toFtsQuery(q);
    const hits =
      tooLong || !query.all
        ? []
        : await searchPapers(deps.store, query, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1);
    if (tooLong) c.status(400);
    const base = `/papers?q=${encodeURIComponent(q)}`;
    const votes = await voteContext(
      c,
      deps,
      hits.map((h) => h.paper.id),
    );
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{
          title: q ? `Search: ${q.slice(0, 60)}` : 'Search',
          path: base,
          query: q,
          section: 'search',
          alternates:
            query.all && !tooLong
              ? feedAlternates(`Search: ${q.slice(0, 60)}`, 'search', `?q=${encodeURIComponent(q)}`)
              : undefined,
        }}
      >
        <h1>{q ? `Papers about “${q.slice(0, 80)}”` : 'Search papers'}</h1>
        {tooLong ? (
          <p class="empty">That query is longer than {MAX_QUERY_LENGTH} characters; shorten it.</p>
        ) : !query.all ? (
          <p class="empty">
            Type words to look for in titles, abstracts and authors. "Quotes" find a phrase; -word leaves a
            word out.
          </p>
        ) : (
          <FeedLinks path="search" query={`?q=${encodeURIComponent(q)}`} label="Save this search as a feed" />
        )}
        {tooLong || !query.all ? null : hits.length === 0 ? (
          <p class="empty">No paper matches “{q.slice(0, 80)}”. Try fewer or different words.</p>
        ) : null}
        <ol class="cards">
          {hits.slice(0, PAGE_SIZE).map((hit) => (
            <PaperCard
              paper={hit.paper}
              feature={hit.featuredDay ? { day: hit.featuredDay, submitter: hit.submitter } : null}
              marked={{ title: hit.highlightedTitle, summary: hit.highlightedSummary }}
              votes={votes}
            />
          ))}
        </ol>
        <nav class="pager" style="margin-top:16px" aria-label="Pages">
          {page > 1 ? <a href={`${base}&page=${page - 1}`}>← Previous</a> : null}
          {hits.length > PAGE_SIZE ? <a href={`${base}&page=${page + 1}`}>Next →</a> : null}
        </nav>
      </Layout>,
    );
  });
}
