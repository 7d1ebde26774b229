import type { Context, Hono } from 'hono';
import { newestUpdate, paperItem } from '../feeds/paper-items.ts';
import { FollowButton } from '../follows/follow-button.tsx';
import { isFollowing } from '../follows/follow-state.ts';
import { papersWithPhrase } from '../keywords/keyphrases.store.ts';
import { topicOf, topicPath } from '../keywords/topic.ts';
import { markPhrases } from '../keywords/yake.ts';
import { tex } from '../papers/tex-text.tsx';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { Layout, who } from '../web/layout.tsx';
import { voteContext } from './card-context.ts';
import type { AppDeps } from './deps.ts';
import { FeedLinks, feedAlternates } from './feed-routes.tsx';
import type { FeedSource } from './feed-sources.ts';
import { PaperCard } from './paper-card.tsx';

const TOPIC_PAPERS = 50;

/** `/topics/{keyphrase}`: the newest papers with that keyphrase, with a feed. */
export function registerTopicPages(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/topics/:phrase', async (c: Context<AppEnv>) => {
    const topic = topicOf(c.req.param('phrase'));
    const papers = topic ? await papersWithPhrase(deps.store.db, topic, TOPIC_PAPERS) : [];
    if (!topic || papers.length === 0) {
      c.status(404);
      return c.html(
        <ErrorPage
          {...who(c)}
          site={deps.site}
          status={404}
          title="No papers on this topic"
          path={c.req.path}
        >
          <p>No paper has this keyphrase yet.</p>
        </ErrorPage>,
      );
    }
    const [votes, following] = await Promise.all([
      voteContext(
        c,
        deps,
        papers.map((p) => p.id),
      ),
      isFollowing(deps.store.db, c.get('viewer'), 'topic', topic),
    ]);
    const feedPath = `topics/${encodeURIComponent(topic)}`;
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{
          title: `Topic: ${topic}`,
          path: topicPath(topic),
          alternates: feedAlternates(`Topic: ${topic}`, feedPath),
        }}
      >
        <h1>Topic: {topic}</h1>
        <p class="muted small">
          The newest papers whose title and abstract yield this keyphrase (extracted statistically, offline).
        </p>
        <FollowButton
          kind="topic"
          value={topic}
          following={following}
          viewer={c.get('viewer')}
          csrf={c.get('csrf')}
          next={topicPath(topic)}
        />
        <FeedLinks path={feedPath} />
        <ol class="cards">
          {papers.map((p) => (
            <PaperCard paper={p} votes={votes} />
          ))}
        </ol>
      </Layout>,
    );
  });
}

/** `/feeds/topics/{keyphrase}.{ext}`. */
export const topicFeed: FeedSource = async (deps, req) => {
  if (!req.path.startsWith('topics/')) return null;
  const topic = topicOf(req.path.slice('topics/'.length));
  if (!topic) return { status: 400, message: 'A topic is a keyphrase of 2 to 100 characters.' };
  const papers = await papersWithPhrase(deps.store.db, topic, TOPIC_PAPERS);
  const items = papers.map((p) => paperItem(p, deps.site.baseUrl));
  const base = deps.site.baseUrl;
  return {
    title: `Topic: ${topic} · ${deps.site.name}`,
    description: `The newest papers with the keyphrase “${topic}”.`,
    homeUrl: `${base}${topicPath(topic)}`,
    feedBase: `${base}/feeds/topics/${encodeURIComponent(topic)}`,
    updated: newestUpdate(items),
    publisher: deps.site.name,
    items,
  };
};

/** An abstract with its keyphrases marked, as HF marks its AI keywords, and its math typeset. */
export function MarkedAbstract(props: { text: string; phrases: string[] }) {
  return (
    <p class="abstract">
      {tex(props.text, (prose) =>
        markPhrases(prose, props.phrases).map((part) =>
          part.phrase ? <mark class="keyphrase">{part.text}</mark> : part.text,
        ),
      )}
    </p>
  );
}
