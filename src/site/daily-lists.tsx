import type { Context, Hono } from 'hono';
import {
  type FeatureItem,
  latestFeatureDay,
  listFeatures,
  neighbourFeatureDays,
} from '../features/features.store.ts';
import {
  type Period,
  type PeriodKind,
  parsePeriod,
  periodContaining,
  periodLabel,
  periodRange,
} from '../features/periods.ts';
import { withPhrase } from '../keywords/keyphrases.store.ts';
import { topicOf, topicPath } from '../keywords/topic.ts';
import { countPapers } from '../papers/papers.store.ts';
import { dayMonth } from '../web/dates.ts';
import { EmptyInstance } from '../web/empty-instance.tsx';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { Layout, who } from '../web/layout.tsx';
import { SubscribeBanner } from '../web/subscribe-banner.tsx';
import { type VoteContext, voteContext } from './card-context.ts';
import type { AppDeps } from './deps.ts';
import { FeedLinks, feedAlternates } from './feed-routes.tsx';
import { PaperCard } from './paper-card.tsx';

const PAGE_SIZE = 50;
/** with a topic, the first this many features of the period are filtered */
const TOPIC_SCAN = 1000;
const KIND_PATH: Record<PeriodKind, string> = { day: 'date', week: 'week', month: 'month' };

/** The daily lists: /, /papers, /papers/date/…, /papers/week/…, /papers/month/…, /papers/trending. */
export function registerFeaturePages(app: Hono<AppEnv>, deps: AppDeps): void {
  const latest = async (c: Context) => {
    const day = await latestFeatureDay(deps.store.db);
    if (!day) return renderEmpty(c, deps);
    return renderPeriod(c, deps, periodContaining('day', day), '/papers');
  };
  app.get('/', latest);
  app.get('/papers', async (c, next) => (c.req.query('q') !== undefined ? next() : latest(c)));

  for (const kind of ['day', 'week', 'month'] as const) {
    app.get(`/papers/${KIND_PATH[kind]}/:key`, async (c) => {
      const key = c.req.param('key');
      const period = parsePeriod(kind, key);
      if (!period) return badPeriod(c, deps, kind, key);
      return renderPeriod(c, deps, period, periodPath(period));
    });
  }

  app.get('/papers/trending', async (c) => {
    const page = pageNumber(c.req.query('page'));
    const items = await listFeatures(deps.store.db, {
      start: null,
      end: null,
      submitter: null,
      sort: 'trending',
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE + 1,
    });
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{
          title: 'Trending papers',
          path: '/papers/trending',
          section: 'trending',
          alternates: feedAlternates('Trending papers', 'trending'),
        }}
      >
        <div class="period-head">
          <div>
            <h1>Trending papers</h1>
            <p class="muted small">
              Upvotes decayed by age: one day newer counts as much as ten times the upvotes.{' '}
              <a href="/about#trending">How trending is computed</a>
            </p>
          </div>
        </div>
        <FeedLinks path="trending" />
        {items.length === 0 ? (
          <p class="empty">Nothing is trending yet: no paper has been featured.</p>
        ) : null}
        <FeatureList
          items={items.slice(0, PAGE_SIZE)}
          offset={(page - 1) * PAGE_SIZE}
          showRank={false}
          votes={
            await voteContext(
              c,
              deps,
              items.map((i) => i.paper.id),
            )
          }
        />
        <Pager basePath="/papers/trending" page={page} hasMore={items.length > PAGE_SIZE} />
      </Layout>,
    );
  });
}

export function periodPath(period: Period): string {
  return `/papers/${KIND_PATH[period.kind]}/${period.key}`;
}

async function renderPeriod(c: Context, deps: AppDeps, period: Period, path: string) {
  const page = pageNumber(c.req.query('page'));
  const offset = (page - 1) * PAGE_SIZE;
  const topicParam = c.req.query('topic');
  const topic = topicParam === undefined ? null : topicOf(topicParam);
  if (topicParam !== undefined && !topic) return badTopic(c, deps);
  const [listed, neighbours] = await Promise.all([
    listFeatures(deps.store.db, {
      start: period.start,
      end: period.end,
      submitter: null,
      sort: 'upvotes',
      offset: topic ? 0 : offset,
      limit: topic ? TOPIC_SCAN : PAGE_SIZE + 1,
    }),
    neighbourFeatureDays(deps.store.db, period.start, period.end),
  ]);
  // a topic narrows the period's list to the papers with that keyphrase
  const items = topic
    ? await (async () => {
        const keep = await withPhrase(
          deps.store.db,
          topic,
          listed.map((i) => i.paper.id),
        );
        return listed.filter((i) => keep.has(i.paper.id)).slice(offset, offset + PAGE_SIZE + 1);
      })()
    : listed;
  const votes = await voteContext(
    c,
    deps,
    items.map((i) => i.paper.id),
  );
  const label = periodLabel(period);
  const title = period.kind === 'day' ? `Daily Papers: ${label}` : `Daily Papers: ${label}`;
  const previous = neighbours.previous ? periodContaining(period.kind, neighbours.previous) : null;
  const next = neighbours.next ? periodContaining(period.kind, neighbours.next) : null;
  const anchorDay = items[0]?.day ?? period.start;
  return c.html(
    <Layout
      {...who(c)}
      site={deps.site}
      meta={{
        title,
        description: `The papers featured ${period.kind === 'day' ? 'on' : 'in'} ${label}, ranked by upvotes.`,
        path: path === '/papers' ? periodPath(period) : path,
        section: 'daily',
        alternates:
          period.kind === 'day'
            ? feedAlternates('Daily Papers', 'daily')
            : feedAlternates('Weekly Papers', 'weekly'),
      }}
    >
      <div class="period-head">
        <div>
          <h1>{label}</h1>
          <p class="muted small">
            {period.kind === 'week' ? `${periodRange(period)} · ` : ''}
            {items.length === 0
              ? 'No papers featured'
              : `${Math.min(items.length, PAGE_SIZE) + offset}${items.length > PAGE_SIZE ? '+' : ''} papers, by upvotes`}
          </p>
        </div>
        <nav class="tabs" aria-label="Period">
          {(['day', 'week', 'month'] as const).map((kind) => (
            <a
              href={periodPath(periodContaining(kind, kind === period.kind ? period.start : anchorDay))}
              aria-current={kind === period.kind ? 'page' : undefined}
            >
              {kind === 'day' ? 'Day' : kind === 'week' ? 'Week' : 'Month'}
            </a>
          ))}
        </nav>
        <nav class="pager" aria-label="Previous and next">
          {previous ? (
            <a href={periodPath(previous)} rel="prev">
              ← {shortLabel(previous)}
            </a>
          ) : (
            <span>← Previous</span>
          )}
          {next ? (
            <a href={periodPath(next)} rel="next">
              {shortLabel(next)} →
            </a>
          ) : (
            <span>Next →</span>
          )}
        </nav>
      </div>
      {items.length === 0 ? (
        <p class="empty">
          No papers were featured {period.kind === 'day' ? 'on this day' : `in this ${period.kind}`}.{' '}
          {previous ? <a href={periodPath(previous)}>See the previous one.</a> : null}
        </p>
      ) : null}
      {topic ? (
        <p class="notice notice-ok">
          Only papers on the topic <a href={topicPath(topic)}>{topic}</a>. <a href={path}>Show all</a>
        </p>
      ) : null}
      <SubscribeBanner />
      <FeedLinks
        path={period.kind === 'day' ? 'daily' : 'weekly'}
        query={topic ? `?topic=${encodeURIComponent(topic)}` : ''}
      />
      <FeatureList items={items.slice(0, PAGE_SIZE)} offset={offset} showRank={true} votes={votes} />
      <Pager
        basePath={path}
        page={page}
        hasMore={items.length > PAGE_SIZE}
        query={topic ? `topic=${encodeURIComponent(topic)}&` : ''}
      />
    </Layout>,
  );
}

function FeatureList(props: { items: FeatureItem[]; offset: number; showRank: boolean; votes: VoteContext }) {
  return (
    <ol class="cards">
      {props.items.map((item, i) => (
        <PaperCard
          paper={item.paper}
          feature={{ day: item.day, submitter: item.submitter }}
          rank={props.showRank ? props.offset + i + 1 : undefined}
          votes={props.votes}
        />
      ))}
    </ol>
  );
}

/** Previous and next pages; `query` ("name=value&") is kept on both links (a topic stays chosen). */
function Pager(props: { basePath: string; page: number; hasMore: boolean; query?: string }) {
  const href = (page: number) => `${props.basePath}?${props.query ?? ''}page=${page}`;
  if (props.page === 1 && !props.hasMore) return null;
  return (
    <nav class="pager" aria-label="Pages" style="margin-top:16px">
      {props.page > 1 ? <a href={href(props.page - 1)}>← Page {props.page - 1}</a> : null}
      {props.hasMore ? <a href={href(props.page + 1)}>Page {props.page + 1} →</a> : null}
    </nav>
  );
}

function shortLabel(period: Period): string {
  if (period.kind === 'week') return period.key.replace('-W', ' W');
  if (period.kind === 'month') return periodLabel(period);
  return dayMonth(period.start);
}

/** `?page=` as a number from 1 to 1000; anything else is page 1. */
export function pageNumber(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 1;
}

async function renderEmpty(c: Context, deps: AppDeps) {
  const papers = await countPapers(deps.store.db);
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: deps.site.name, path: '/', section: 'daily' }}>
      <h1>Daily Papers</h1>
      {papers === 0 ? (
        <EmptyInstance />
      ) : (
        <section class="empty">
          <h2>No paper has been featured yet</h2>
          <p>
            {papers} papers are stored: browse them under <a href="/new">New</a>. Daily lists fill as papers
            are featured; import Hugging Face Daily Papers records to fill past days.
          </p>
        </section>
      )}
    </Layout>,
  );
}

function badTopic(c: Context, deps: AppDeps) {
  c.status(400);
  return c.html(
    <ErrorPage {...who(c)} site={deps.site} status={400} title="Not a topic" path={c.req.path}>
      <p>A topic is a keyphrase of 2 to 100 characters, e.g. ?topic=diffusion%20models.</p>
    </ErrorPage>,
  );
}

function badPeriod(c: Context, deps: AppDeps, kind: PeriodKind, key: string) {
  const expected = {
    day: 'YYYY-MM-DD, e.g. 2025-02-12',
    week: 'YYYY-Www, e.g. 2025-W07',
    month: 'YYYY-MM, e.g. 2025-02',
  };
  c.status(400);
  return c.html(
    <ErrorPage
      {...who(c)}
      site={deps.site}
      status={400}
      title={`"${key.slice(0, 40)}" is not a ${kind}`}
      path={c.req.path}
    >
      <p>
        Write the {kind} as {expected[kind]}.
      </p>
    </ErrorPage>,
  );
}
