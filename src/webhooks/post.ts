import { VERSION } from '../web/site.ts';
import { signBody } from './signature.ts';

/**
 * One signed POST to a webhook and what came of it. Only the URL an admin configured is fetched, and redirects
 * are not followed (a redirect could lead anywhere); the URL is a secret, so no error this returns names it.
 */
export interface PostTarget {
  url: string;
  secret: string;
}

export type PostOutcome =
  | { kind: 'delivered'; status: number }
  /** worth trying again later: no answer, a timeout, 408, 425, 429 or a 5xx; `retryAfterMs` from Retry-After */
  | { kind: 'retry'; status: number | null; error: string; retryAfterMs: number | null }
  /** will not get better by itself: another 4xx (a removed webhook, a bad token) or a redirect */
  | { kind: 'refused'; status: number; error: string };

const RETRYABLE = new Set([408, 425, 429]);
/** how much of an answer's body goes into an error, for the admin page (Slack says e.g. "no_service") */
const ERROR_BODY_CHARS = 200;

export async function postSigned(
  target: PostTarget,
  event: { key: string; type: string },
  body: string,
  options: { timeoutMs: number; now: Date; userAgent: string },
): Promise<PostOutcome> {
  const timestamp = Math.floor(options.now.getTime() / 1000);
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': options.userAgent,
        'x-paperboy-event': event.type,
        'x-paperboy-event-id': event.key,
        'x-paperboy-timestamp': String(timestamp),
        'x-paperboy-signature': signBody(target.secret, timestamp, body),
      },
      body,
    });
  } catch (err) {
    return {
      kind: 'retry',
      status: null,
      error: networkError(err, options.timeoutMs, target.url),
      retryAfterMs: null,
    };
  }
  const answer = scrub(await readStart(res), target.url);
  const status = res.status;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const said = answer ? `: ${answer}` : '';
  if (status >= 300 && status < 400)
    return {
      kind: 'refused',
      status,
      error: `answered a redirect (${status}); redirects are not followed, so put the final URL in${said}`,
    };
  if (status >= 500 || RETRYABLE.has(status))
    return {
      kind: 'retry',
      status,
      error: `answered ${status}${said}`,
      retryAfterMs: retryAfter(res.headers, options.now),
    };
  return { kind: 'refused', status, error: `answered ${status}${said}` };
}

/** The User-Agent of every post. */
export function webhookUserAgent(baseUrl: string): string {
  return `Paperboy/${VERSION} (+${baseUrl})`;
}

/** The start of an answer's body as one line (the rest is not read), or '' when it cannot be read. */
async function readStart(res: Response): Promise<string> {
  try {
    const reader = res.body?.getReader();
    if (!reader) return '';
    const decoder = new TextDecoder();
    let text = '';
    while (text.length < ERROR_BODY_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel().catch(() => {});
    return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY_CHARS);
  } catch {
    return '';
  }
}

/** Retry-After (RFC 9110 §10.2.3) as a delay from now: seconds, or an HTTP date; null when absent or unreadable. */
export function retryAfter(headers: Headers, now: Date): number | null {
  const value = headers.get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** What went wrong before any answer, in words that name no URL (fetch's causes carry host and port at most). */
function networkError(err: unknown, timeoutMs: number, url: string): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = e?.cause;
  const detail = cause?.code ?? cause?.message ?? e?.message ?? String(err);
  return scrub(`could not connect: ${detail}`, url);
}

/** Removes the URL, its path and its query from a text, in case a peer or a library echoed them. */
export function scrub(text: string, url: string): string {
  let out = text;
  try {
    const u = new URL(url);
    for (const secret of [url, `${u.pathname}${u.search}`, u.pathname, u.search])
      if (secret.length > 1) out = out.replaceAll(secret, '[url]');
  } catch {
    out = out.replaceAll(url, '[url]');
  }
  return out;
}
