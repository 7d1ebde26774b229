import type { WebhookKind } from '../db/schema.ts';

/** What an admin may set on a webhook, checked from the form of /admin/webhooks. Pure. */
export const WEBHOOK_KINDS: readonly WebhookKind[] = ['slack', 'mattermost', 'discord', 'teams', 'json'];
export const KIND_LABELS: Record<WebhookKind, string> = {
  slack: 'Slack',
  mattermost: 'Mattermost',
  discord: 'Discord',
  teams: 'Microsoft Teams (Workflows)',
  json: 'Signed JSON (any URL)',
};
export type WebhookEventName = 'daily-top' | 'feature';
export const WEBHOOK_EVENTS: readonly WebhookEventName[] = ['daily-top', 'feature'];
export const EVENT_LABELS: Record<WebhookEventName, string> = {
  'daily-top': "the day's top papers, once the day is over",
  feature: 'every paper newly featured on the daily list',
};

export interface WebhookInput {
  name: string;
  kind: WebhookKind;
  url: string;
  events: WebhookEventName[];
}

export type WebhookInputResult =
  | { ok: true; value: WebhookInput }
  | { ok: false; errors: Partial<Record<'name' | 'kind' | 'url' | 'events', string>> };

const MAX_URL = 2000;
const MAX_NAME = 80;

/**
 * A webhook from form fields (strings, or lists for the repeated `events`), or what is wrong with each field.
 * The URL is parsed with the WHATWG URL parser and must be http or https, with a host and no user name or
 * password (fetch refuses URLs with credentials); it is stored as the parser serialises it.
 */
export function webhookFromForm(fields: Record<string, string | string[]>): WebhookInputResult {
  const one = (name: string) => {
    const v = fields[name];
    return typeof v === 'string' ? v : '';
  };
  const errors: Partial<Record<'name' | 'kind' | 'url' | 'events', string>> = {};
  const name = one('name').trim();
  if (!name) errors.name = 'Give the webhook a name, e.g. the channel it posts to.';
  else if (name.length > MAX_NAME) errors.name = `A name is at most ${MAX_NAME} characters.`;
  else if (hasControlCharacters(name)) errors.name = 'A name cannot hold control characters.';
  const kindText = one('kind');
  const kind = WEBHOOK_KINDS.find((k) => k === kindText);
  if (!kind) errors.kind = `Choose one of: ${WEBHOOK_KINDS.join(', ')}.`;
  const url = webhookUrl(one('url'));
  if (!url.ok) errors.url = url.error;
  const raw = fields.events;
  const chosen = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const events = WEBHOOK_EVENTS.filter((e) => chosen.includes(e));
  if (chosen.some((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e)))
    errors.events = `Events are ${WEBHOOK_EVENTS.join(' and ')}.`;
  else if (events.length === 0) errors.events = 'Choose at least one event to post.';
  if (Object.keys(errors).length > 0 || !kind || !url.ok) return { ok: false, errors };
  return { ok: true, value: { name, kind, url: url.url, events } };
}

/** C0, DEL and C1 control characters have no place in a label. */
function hasControlCharacters(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return true;
  }
  return false;
}

/** An incoming webhook's URL, parsed and serialised, or why it cannot be one. */
export function webhookUrl(text: string): { ok: true; url: string } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: 'Paste the incoming webhook URL the chat gave you.' };
  if (trimmed.length > MAX_URL) return { ok: false, error: `A URL is at most ${MAX_URL} characters.` };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, error: 'Not a URL: it must start with https:// (or http://).' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, error: 'Only http and https URLs can receive posts.' };
  if (!url.hostname) return { ok: false, error: 'The URL has no host.' };
  if (url.username || url.password)
    return {
      ok: false,
      error: 'Put no user name or password in the URL; a webhook URL carries its own token.',
    };
  url.hash = '';
  return { ok: true, url: url.toString() };
}

/**
 * The URL as the admin page shows it: its origin and nothing of the path or query, where chat services put the
 * token that lets anyone post (docs/webhooks.md). Pure.
 * @example maskUrl('https://hooks.slack.com/services/T0/B0/XXXX') // 'https://hooks.slack.com/…'
 */
export function maskUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}

/** The events column: a comma list of event names. */
export function eventsFromColumn(column: string): WebhookEventName[] {
  const names = column.split(',');
  return WEBHOOK_EVENTS.filter((e) => names.includes(e));
}
