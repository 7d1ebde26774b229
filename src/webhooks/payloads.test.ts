import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './deliver.ts';
import { settledDay } from './events.ts';
import { maskUrl, webhookFromForm, webhookUrl } from './input.ts';
import { eventBody, type WebhookEvent } from './payloads.ts';
import { signBody, verifySignature } from './signature.ts';

const site = { name: 'Lab papers', url: 'https://papers.lab.org' };
const paper = (i: number, title = `Paper ${i}`) => ({
  id: `2611.0000${i}`,
  title,
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],
  upvotes: i,
  url: `https://papers.lab.org/papers/2611.0000${i}`,
});
const top: WebhookEvent = {
  type: 'daily-top',
  key: 'daily-top:2026-11-26',
  at: '2026-11-27T07:00:00.000Z',
  site,
  day: '2026-11-26',
  title: 'Top papers of Thursday, 26 November 2026',
  listUrl: 'https://papers.lab.org/papers/date/2026-11-26',
  papers: Array.from({ length: 12 }, (_, i) =>
    paper(i + 1, i === 0 ? '<!channel> @everyone *bold* [x](y) & co' : undefined),
  ),
};

describe('payloads', () => {
  it('escape what each chat would read as markup or a mention', () => {
    const slack = JSON.parse(eventBody('slack', top));
    expect(slack.blocks[1].text.text).toBe(
      '1. *<https://papers.lab.org/papers/2611.00001|&lt;!channel&gt; @everyone *bold* [x](y) &amp; co>*\nAda Lovelace, Alan Turing, Grace Hopper +1 · 1 upvote',
    );
    const discord = JSON.parse(eventBody('discord', top));
    expect(discord.embeds).toHaveLength(10);
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    const mattermost = JSON.parse(eventBody('mattermost', top));
    expect(mattermost.text).toContain(
      '[\\<\\!channel\\> @\u200beveryone \\*bold\\* \\[x\\]\\(y\\) & co](https://papers.lab.org/papers/2611.00001)',
    );
    const json = JSON.parse(eventBody('json', top));
    expect(json.papers).toHaveLength(12);
    expect(json.papers[0].title).toBe('<!channel> @everyone *bold* [x](y) & co');
  });

  it('are the same bytes for the same event', () => {
    for (const kind of ['slack', 'mattermost', 'discord', 'teams', 'json'] as const)
      expect(eventBody(kind, top)).toBe(eventBody(kind, structuredClone(top)));
  });
});

describe('signatures', () => {
  it('are HMAC-SHA256 of "timestamp.body", checked with a tolerance', () => {
    // openssl: printf '1764230400.{}' | openssl dgst -sha256 -hmac s3cret
    expect(signBody('s3cret', 1764230400, '{}')).toMatch(/^sha256=[0-9a-f]{64}$/);
    const signature = signBody('s3cret', 1764230400, '{}');
    const check = (now: number, sig = signature, ts = '1764230400') =>
      verifySignature('s3cret', { timestamp: ts, signature: sig }, '{}', now);
    expect(check(1764230400)).toBe(true);
    expect(check(1764230400 + 301)).toBe(false);
    expect(check(1764230400, signature.replace(/.$/, '0'))).toBe(signature.endsWith('0'));
    expect(check(1764230400, 'sha256=short')).toBe(false);
    expect(check(1764230400, signature, 'NaN')).toBe(false);
  });
});

describe('webhook input', () => {
  it('keeps http(s) URLs as the URL parser writes them, masked on pages', () => {
    expect(webhookUrl(' https://Hooks.Slack.com/services/T/B/x#frag ')).toEqual({
      ok: true,
      url: 'https://hooks.slack.com/services/T/B/x',
    });
    expect(webhookUrl('file:///etc/passwd').ok).toBe(false);
    expect(webhookUrl('http://[::1').ok).toBe(false);
    expect(maskUrl('https://hooks.slack.com/services/T/B/x?token=1')).toBe('https://hooks.slack.com/…');
    expect(maskUrl('not a url')).toBe('…');
  });

  it('reads a form, lists for events, and refuses lists where one value is wanted', () => {
    expect(
      webhookFromForm({
        name: 'x',
        kind: 'json',
        url: 'https://a.example/',
        events: ['feature', 'daily-top'],
      }),
    ).toEqual({
      ok: true,
      value: { name: 'x', kind: 'json', url: 'https://a.example/', events: ['daily-top', 'feature'] },
    });
    const bad = webhookFromForm({
      name: ['a', 'b'],
      kind: ['json'],
      url: ['https://a.example/'],
      events: [],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(['events', 'kind', 'name', 'url']);
  });
});

describe('timing', () => {
  it('doubles the wait from WEBHOOK_RETRY_SECONDS, at most an hour, never under Retry-After', () => {
    expect([1, 2, 3, 4, 8, 9, 30].map((n) => retryDelayMs(n, 30, null) / 1000)).toEqual([
      30, 60, 120, 240, 3600, 3600, 3600,
    ]);
    expect(retryDelayMs(1, 30, 90_000)).toBe(90_000);
    expect(retryDelayMs(1, 30, 86_400_000)).toBe(3_600_000);
  });

  it('settles a day when its daily digest would go out', () => {
    const config = { DIGEST_DAILY_HOUR: 7, DIGEST_TIMEZONE: 'Europe/Paris' };
    expect(settledDay(new Date('2026-11-27T05:59:00Z'), config)).toBe('2026-11-25');
    expect(settledDay(new Date('2026-11-27T06:00:00Z'), config)).toBe('2026-11-26');
    // 23:30 in Paris is still the 27th there; 00:30 on the 28th is before the hour
    expect(settledDay(new Date('2026-11-27T22:30:00Z'), config)).toBe('2026-11-26');
    expect(settledDay(new Date('2026-11-27T23:30:00Z'), config)).toBe('2026-11-26');
    expect(settledDay(new Date('2026-11-28T06:00:00Z'), config)).toBe('2026-11-27');
  });
});
