import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paperRecord, seedFeatures, seedPapers } from '../../test/helpers/factories.ts';
import { type LocalServer, startLocalServer } from '../../test/helpers/local-server.ts';
import { createStoreUnderTest, row, type StoreUnderTest, sql } from '../../test/helpers/store-under-test.ts';
import { loadConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { runSummaries, summaryEndpoint } from '../summaries/summaries-job.ts';
import { runKeywords } from './keywords-job.ts';

let store: StoreUnderTest;
let app: Awaited<ReturnType<typeof createTestApp>>;
const abstract =
  'Sparse mixture of experts models route each token to a few experts. We study expert routing at scale and ' +
  'show that sparse mixture of experts layers train faster than dense layers of the same quality.';

beforeAll(async () => {
  store = await createStoreUnderTest();
  await seedPapers(store, [
    paperRecord({ id: '2601.00001', title: 'Sparse Mixture of Experts at Scale', abstract }),
    paperRecord({ id: '2601.00002', title: 'Expert routing with sparse mixture of experts', abstract }),
    paperRecord({ id: '2601.00003', title: 'Hidden sparse mixture of experts', abstract }),
  ]);
  await seedFeatures(store, [
    {
      day: '2026-01-05',
      upvotes: 3,
      paper: { id: '2601.00010', title: 'Featured one', abstract: 'Robots learn to grasp.' },
    },
    {
      day: '2026-01-05',
      upvotes: 2,
      paper: { id: '2601.00011', title: 'Featured two', abstract: 'Speech models.' },
    },
  ]);
  await sql`UPDATE papers SET hidden_at = '2026-01-01' WHERE id = '2601.00003'`.execute(store.db);
  app = await createTestApp(store);
});
afterAll(() => store.dispose());

const phrasesOf = async (id: string) =>
  (await row(
    store,
    sql<{
      phrases: string;
    }>`SELECT phrases FROM paper_keyphrases k JOIN papers p ON p.pk = k.paper_pk WHERE p.id = ${id}`,
  ))!.phrases;

describe('the keywords job', () => {
  it('extracts keyphrases for every paper once, and again only for papers that changed', async () => {
    expect((await runKeywords(store)).papers).toBe(5);
    expect((await runKeywords(store)).papers).toBe(0);
    await sql`UPDATE papers SET fingerprint = 'changed' WHERE id = '2601.00002'`.execute(store.db);
    expect((await runKeywords(store)).papers).toBe(1);
    const phrases = JSON.parse(await phrasesOf('2601.00001')) as string[];
    expect(phrases).toContain('sparse mixture of experts');
  });

  it('marks keyphrases in the abstract and links them as topics, with a page and a feed (hidden papers out)', async () => {
    const page = await (await app.request('/papers/2601.00001')).text();
    expect(page).toMatch(/<mark class="keyphrase">Sparse mixture of experts<\/mark>/);
    expect(page).toContain('href="/topics/sparse%20mixture%20of%20experts"');
    const topic = await app.request('/topics/sparse%20mixture%20of%20experts');
    expect(topic.status).toBe(200);
    const html = await topic.text();
    expect(html).toContain('Sparse Mixture of Experts at Scale');
    expect(html).not.toContain('Hidden sparse');
    expect(html).toContain('/feeds/topics/sparse%20mixture%20of%20experts.rss');
    const feed = parseFeed(
      await (await app.request('/feeds/topics/sparse%20mixture%20of%20experts.rss')).text(),
    );
    expect(feed.items).toHaveLength(2);
    for (const [path, status] of [
      ['/topics/x', 404],
      ['/topics/nothing%20like%20this', 404],
      [`/topics/${'a'.repeat(200)}`, 404],
      ['/topics/%3Cscript%3E', 404],
      ['/feeds/topics/x.rss', 400],
    ] as const) {
      expect((await app.request(path)).status, path).toBe(status);
    }
  });
});

describe('topic filters on lists and feeds', () => {
  it('narrows a daily list and any feed to a keyphrase; a bad topic is a 400', async () => {
    const phrases = JSON.parse(await phrasesOf('2601.00010')) as string[];
    const topic = phrases[0]!;
    const page = await (
      await app.request(`/papers/date/2026-01-05?topic=${encodeURIComponent(topic)}`)
    ).text();
    expect(page).toContain('Featured one');
    expect(page).not.toContain('Featured two');
    expect(page).toContain('Only papers on the topic');
    const all = await (await app.request('/papers/date/2026-01-05')).text();
    expect(all).toContain('Featured two');
    // each card shows its paper's first keyphrases as topic chips, the chosen topic among them
    expect(all).toContain(`<a href="/topics/${encodeURIComponent(topic)}" class="chip topic">`);
    expect(all.match(/class="links topics"/g)?.length).toBe(2);
    // the pager keeps the topic
    const second = await (
      await app.request(`/papers/date/2026-01-05?topic=${encodeURIComponent(topic)}&page=2`)
    ).text();
    expect(second).toContain(
      `href="/papers/date/2026-01-05?topic=${encodeURIComponent(topic).replaceAll('&', '&amp;')}&amp;page=1"`,
    );
    const feed = JSON.parse(
      await (await app.request(`/feeds/new.json?topic=${encodeURIComponent(topic)}`)).text(),
    );
    expect(feed.items.map((i: { title: string }) => i.title)).toEqual(['Featured one']);
    expect(feed.feed_url).toBe(`http://paperboy.test/feeds/new.json?topic=${encodeURIComponent(topic)}`);
    expect((await app.request('/papers/date/2026-01-05?topic=')).status).toBe(400);
    expect((await app.request(`/feeds/daily.rss?topic=${'x'.repeat(300)}`)).status).toBe(400);
  });
});

describe('summaries from an OpenAI-compatible endpoint', () => {
  let server: LocalServer;
  const bodies: { model: string; messages: { role: string; content: string }[] }[] = [];
  beforeAll(async () => {
    server = await startLocalServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const parsed = JSON.parse(body);
      bodies.push(parsed);
      if (req.headers.authorization !== 'Bearer sk-test') {
        res.writeHead(401).end();
        return;
      }
      const title = /Title: (.*)/.exec(parsed.messages[1].content)?.[1] ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [{ message: { role: 'assistant', content: `**Summary:** A paper on ${title}.` } }],
        }),
      );
    });
  });
  afterAll(() => server.close());

  it('writes one line per featured paper, labelled with the model, and nothing without an endpoint', async () => {
    expect(summaryEndpoint(loadConfig({}))).toBeNull();
    expect(() => loadConfig({ SUMMARY_API_URL: server.origin })).toThrow(/SUMMARY_MODEL/);
    const config = loadConfig({
      SUMMARY_API_URL: `${server.origin}/v1`,
      SUMMARY_MODEL: 'tiny-llm-1b',
      SUMMARY_API_KEY: 'sk-test',
    });
    const result = await runSummaries(store, summaryEndpoint(config)!, silentLogger, 10);
    expect(result).toEqual({ written: 2, failed: 0 });
    expect(server.requests[0]?.url.pathname).toBe('/v1/chat/completions');
    expect(bodies[0]?.model).toBe('tiny-llm-1b');
    const page = await (await app.request('/papers/2601.00010')).text();
    expect(page).toContain('A paper on Featured one.');
    expect(page).toContain('(written by tiny-llm-1b)');
    // done papers are not asked again
    expect(await runSummaries(store, summaryEndpoint(config)!, silentLogger, 10)).toEqual({
      written: 0,
      failed: 0,
    });
  });

  it('survives a failing endpoint: failures counted, three in a row end the run', async () => {
    await sql`UPDATE papers SET ai_summary = NULL`.execute(store.db);
    const bad = summaryEndpoint(
      loadConfig({ SUMMARY_API_URL: server.origin, SUMMARY_MODEL: 'm', SUMMARY_API_KEY: 'wrong' }),
    )!;
    expect(await runSummaries(store, bad, silentLogger, 10)).toEqual({ written: 0, failed: 2 });
    const down = summaryEndpoint(loadConfig({ SUMMARY_API_URL: 'http://127.0.0.1:9', SUMMARY_MODEL: 'm' }))!;
    expect(await runSummaries(store, down, silentLogger, 10)).toEqual({ written: 0, failed: 2 });
  });
});
