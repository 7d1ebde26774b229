import type { WebhookKind } from '../db/schema.ts';

/**
 * What each kind of webhook is sent for an event, as the JSON body (docs/webhooks.md). Pure.
 *
 * - slack: an incoming webhook's `{text, blocks}`: `text` is the notification's fallback, the blocks are sections
 *   of mrkdwn (Slack "Formatting text": &, < and > escaped, links as `<url|label>`);
 * - mattermost: `{text}` in Markdown (Mattermost's incoming webhooks take no Slack blocks);
 * - discord: `{content, embeds, allowed_mentions}`, one embed per paper (at most 10, Discord's limit), mentions off;
 * - teams: a message with one Adaptive Card (1.4), what a Teams "Workflows" webhook posts to a channel;
 * - json: the event itself, for any receiver.
 * Every kind is signed the same way (signature.ts). Text that comes from papers is escaped for each format, and
 * `@` is broken with a zero-width space where a chat would read it as a mention (@channel, @everyone).
 */
export type WebhookEventType = 'daily-top' | 'feature' | 'test';

export interface WebhookPaper {
  id: string;
  title: string;
  authors: string[];
  upvotes: number;
  /** the paper's page on this instance */
  url: string;
}

interface EventBase {
  /** daily-top:YYYY-MM-DD, feature:<arXiv id> or test:<time>: the X-Paperboy-Event-Id header */
  key: string;
  /** when the event was made (ISO), the same on every retry */
  at: string;
  site: { name: string; url: string };
}

export type WebhookEvent =
  | (EventBase & { type: 'daily-top'; day: string; title: string; listUrl: string; papers: WebhookPaper[] })
  | (EventBase & { type: 'feature'; day: string; submitter: string | null; paper: WebhookPaper })
  | (EventBase & { type: 'test' });

/** The body posted to a webhook of `kind` for the event. */
export function eventBody(kind: WebhookKind, event: WebhookEvent): string {
  return JSON.stringify(
    {
      slack: slackMessage,
      mattermost: mattermostMessage,
      discord: discordMessage,
      teams: teamsMessage,
      json: jsonEvent,
    }[kind](event),
  );
}

/** One line per event: the headline of every format. */
function headline(event: WebhookEvent): string {
  if (event.type === 'daily-top') return `${event.title} on ${event.site.name}`;
  if (event.type === 'feature')
    return `New on the daily list of ${event.site.name}${event.submitter ? `, submitted by ${event.submitter}` : ''}`;
  return `A test from ${event.site.name}: this webhook works.`;
}

function papersOf(event: WebhookEvent): WebhookPaper[] {
  if (event.type === 'daily-top') return event.papers;
  if (event.type === 'feature') return [event.paper];
  return [];
}

function byline(p: WebhookPaper): string {
  const authors =
    p.authors.slice(0, 3).join(', ') + (p.authors.length > 3 ? ` +${p.authors.length - 3}` : '');
  return `${authors}${authors ? ' · ' : ''}${p.upvotes} upvote${p.upvotes === 1 ? '' : 's'}`;
}

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
/** a zero-width space after @, so "@channel" in a title notifies nobody */
const noMentions = (text: string) => text.replaceAll('@', '@\u200b');

// Slack mrkdwn: only &, < and > are special (https://api.slack.com/reference/surfaces/formatting#escaping)
const slackEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function slackMessage(event: WebhookEvent) {
  const papers = papersOf(event);
  const title = slackEscape(headline(event));
  const blocks: object[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: event.type === 'daily-top' ? `*<${event.listUrl}|${title}>*` : `*${title}*`,
      },
    },
  ];
  papers.forEach((p, i) => {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: cut(
          `${papers.length > 1 ? `${i + 1}. ` : ''}*<${p.url}|${slackEscape(p.title)}>*\n${slackEscape(byline(p))}`,
          3000,
        ),
      },
    });
  });
  const text = [headline(event), ...papers.map((p, i) => `${i + 1}. ${p.title} ${p.url}`)].join('\n');
  return { text: slackEscape(text), blocks };
}

// Markdown's punctuation that could make a link, emphasis or heading out of a title
const markdownEscape = (text: string) => noMentions(text.replace(/[\\`*_{}[\]()#+!<>|~-]/g, '\\$&'));

function mattermostMessage(event: WebhookEvent) {
  const papers = papersOf(event);
  const head =
    event.type === 'daily-top'
      ? `#### [${markdownEscape(headline(event))}](${event.listUrl})`
      : `#### ${markdownEscape(headline(event))}`;
  const lines = papers.map(
    (p, i) =>
      `${papers.length > 1 ? `${i + 1}. ` : ''}[${markdownEscape(p.title)}](${p.url})  \n${markdownEscape(byline(p))}`,
  );
  return { text: [head, ...lines].join('\n') };
}

function discordMessage(event: WebhookEvent) {
  const papers = papersOf(event).slice(0, 10);
  return {
    content: cut(`**${markdownEscape(headline(event))}**`, 2000),
    embeds: papers.map((p) => ({ title: cut(p.title, 256), url: p.url, description: cut(byline(p), 4096) })),
    // nobody is pinged, whatever a title says (Discord "Allowed Mentions")
    allowed_mentions: { parse: [] },
  };
}

function teamsMessage(event: WebhookEvent) {
  const papers = papersOf(event);
  const body: object[] = [
    {
      type: 'TextBlock',
      size: 'Medium',
      weight: 'Bolder',
      wrap: true,
      text: markdownEscape(headline(event)),
    },
  ];
  for (const p of papers) {
    body.push({ type: 'TextBlock', wrap: true, text: `[${markdownEscape(p.title)}](${p.url})` });
    body.push({
      type: 'TextBlock',
      wrap: true,
      isSubtle: true,
      spacing: 'None',
      text: markdownEscape(byline(p)),
    });
  }
  const actions =
    event.type === 'daily-top'
      ? [{ type: 'Action.OpenUrl', title: 'Open the daily list', url: event.listUrl }]
      : [];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions,
        },
      },
    ],
  };
}

function jsonEvent(event: WebhookEvent) {
  const { key, type, at, site } = event;
  const base = { id: key, type, created_at: at, site };
  if (event.type === 'daily-top')
    return { ...base, day: event.day, title: event.title, url: event.listUrl, papers: event.papers };
  if (event.type === 'feature')
    return { ...base, day: event.day, submitter: event.submitter, paper: event.paper };
  return { ...base, message: headline(event) };
}
