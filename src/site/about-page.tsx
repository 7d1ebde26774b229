import type { Hono } from 'hono';
import { TRENDING_TIME_SCALE_MS } from '../ranking/trending.ts';
import type { AppEnv } from '../web/env.ts';
import { Layout, who } from '../web/layout.tsx';
import type { AppDeps } from './deps.ts';

/** /about: what this instance is, and how its lists are ranked. */
export function registerAboutPage(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/about', (c) =>
    c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: `About ${deps.site.name}`, path: '/about' }}>
        <h1>About {deps.site.name}</h1>
        <p>{deps.site.description}</p>
        <p>
          {deps.site.name} runs Paperboy, a self-hosted Daily Papers site: papers arrive from arXiv, members
          put the best on the day's list, and the lists are ranked by upvotes.
        </p>
        <h2 id="daily">Daily lists</h2>
        <p>
          Each day, week and month lists the papers featured in it, most upvoted first; the top three carry a
          badge.
        </p>
        <h2 id="trending">How trending is computed</h2>
        <p>
          Trending ranks featured papers by{' '}
          <code>
            log10(1 + upvotes) + (featured time − 2020-01-01) / {TRENDING_TIME_SCALE_MS / 3_600_000} hours
          </code>
          . One day newer counts as much as ten times the upvotes, so new papers rise and old ones sink
          without any batch job. The score is stored and updated whenever a paper's upvotes change.
        </p>
        <h2 id="for-you">How “for you” works</h2>
        <p>
          Each member gets a model of their own, retrained every day: the words and word pairs of the papers
          they upvoted and collected (weighted by tf-idf) against a random sample of other papers, separated
          by a linear support vector machine, as arxiv-sanity does. The newest papers are ranked by it; each
          recommendation names the upvoted or collected paper it is most similar to. Nothing leaves this
          instance.
        </p>
        <h2 id="topics">Topics</h2>
        <p>
          The keyphrases marked in abstracts are extracted from each paper's title and abstract alone by YAKE,
          a statistical method that needs no model; each links to the papers that share it.
        </p>
        <h2 id="api">API</h2>
        <p>
          The JSON API answers the Hugging Face Papers API: point the <code>huggingface_hub</code> client at
          this instance with <code>HF_ENDPOINT={deps.site.baseUrl}</code>. Try{' '}
          <a href="/api/daily_papers">/api/daily_papers</a>, or read{' '}
          <a href="/api/docs">the API documentation</a>.
        </p>
      </Layout>,
    ),
  );
}
