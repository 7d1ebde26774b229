import type { Clock } from '../jobs/clock.ts';
import type { Logger } from '../log.ts';

/**
 * The one way Paperboy talks to arXiv. arXiv's rules (../shared/data/arxiv_responses/README.md, "Protocol
 * rules"), each enforced here for every caller together (harvest and lookups share one fetcher):
 * - rule 1: one request at a time and at least 3 s between requests (API ToU §Rate limits);
 * - rule 10: 503 and 429 with `Retry-After` are flow control: wait as told, then ask again; 403 means stop and
 *   get a human (OAI harvester guidelines §2);
 * - timeouts, 5xx and broken connections are retried with capped exponential backoff;
 * - only the configured hosts are contacted (redirects included); answers are size-capped.
 */
export interface PoliteFetcherOptions {
  userAgent: string;
  /** `host` or `host:port`, as in URL.host */
  allowedHosts: readonly string[];
  /** at least 3,000 ms (arXiv's rule); more is allowed */
  minIntervalMs: number;
  /** per attempt, real time */
  timeoutMs: number;
  maxBytes: number;
  /** attempts per request, the first one included */
  maxAttempts: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** a Retry-After longer than this gives up instead of waiting */
  maxRetryAfterMs?: number;
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
}

export interface FetchOptions {
  accept?: string;
  /** clock time after which the request is dropped rather than sent (a page waiting on a lookup) */
  deadline?: number;
  signal?: AbortSignal;
}

export interface FetchedResponse {
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface PoliteFetcher {
  get(url: string, options?: FetchOptions): Promise<FetchedResponse>;
}

export const ARXIV_MIN_INTERVAL_MS = 3000;
const MAX_REDIRECTS = 3;

export class FetchError extends Error {}
/** arXiv answered 403: the harvest stops and someone must look (never retried). */
export class ArxivForbiddenError extends FetchError {}
export class HostNotAllowedError extends FetchError {}
export class ResponseTooLargeError extends FetchError {}
/** Retries used up, or arXiv asked for a longer wait than we accept. */
export class ArxivUnavailableError extends FetchError {}
/** The request's turn would come after its deadline; nothing was sent. */
export class FetchDeadlineError extends FetchError {}

/** Something that may go better on the next attempt. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/**
 * @example const arxiv = createPoliteFetcher({ userAgent, allowedHosts: ['oaipmh.arxiv.org'], minIntervalMs: 3000, … });
 *          const page = await arxiv.get('https://oaipmh.arxiv.org/oai?verb=Identify');
 */
export function createPoliteFetcher(options: PoliteFetcherOptions): PoliteFetcher {
  if (!(options.minIntervalMs >= ARXIV_MIN_INTERVAL_MS)) {
    throw new Error(`arXiv asks for at least ${ARXIV_MIN_INTERVAL_MS} ms between requests`);
  }
  const { clock, log } = options;
  const doFetch = options.fetch ?? fetch;
  const allowed = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const backoffBase = options.backoffBaseMs ?? 5000;
  const backoffMax = options.backoffMaxMs ?? 5 * 60_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60 * 60_000;
  let lastEnd = Number.NEGATIVE_INFINITY;
  let queue: Promise<unknown> = Promise.resolve();

  function checkHost(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new HostNotAllowedError(`not a URL: ${url.slice(0, 200)}`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new HostNotAllowedError(`refusing ${parsed.protocol} URL`);
    }
    if (!allowed.has(parsed.host.toLowerCase())) {
      throw new HostNotAllowedError(`${parsed.host} is not an allowed arXiv host (ARXIV_ALLOWED_HOSTS)`);
    }
    return parsed;
  }

  /** Waits for the spacing (and any extra wait), unless that would pass the deadline. */
  async function waitTurn(extraMs: number, request: FetchOptions): Promise<void> {
    const wait = Math.max(lastEnd + options.minIntervalMs - clock.now(), extraMs, 0);
    if (request.deadline !== undefined && clock.now() + wait > request.deadline) {
      throw new FetchDeadlineError('arXiv is busy (another request is waiting its turn); try again later');
    }
    if (wait > 0) await clock.sleep(wait, request.signal);
  }

  async function attempt(url: URL, request: FetchOptions): Promise<FetchedResponse | URL> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    try {
      const res = await doFetch(url, {
        headers: { 'user-agent': options.userAgent, accept: request.accept ?? 'application/xml' },
        redirect: 'manual',
        signal,
      });
      if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
        await res.body?.cancel();
        return new URL(res.headers.get('location')!, url);
      }
      if (res.status === 403) {
        await res.body?.cancel();
        throw new ArxivForbiddenError(`arXiv answered 403 Forbidden for ${url.pathname}${url.search}`);
      }
      if (res.status === 429 || res.status === 503) {
        await res.body?.cancel();
        throw new Retryable(`HTTP ${res.status}`, retryAfterMs(res.headers.get('retry-after'), clock.now()));
      }
      if (res.status >= 500) {
        await res.body?.cancel();
        throw new Retryable(`HTTP ${res.status}`);
      }
      const body = await readCapped(res, options.maxBytes);
      return { url: url.toString(), status: res.status, headers: res.headers, body };
    } catch (err) {
      if (err instanceof FetchError || err instanceof Retryable) throw err;
      if (request.signal?.aborted) throw request.signal.reason;
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (timeout.aborted) throw new Retryable(`no answer within ${options.timeoutMs} ms`);
      throw new Retryable(`connection failed: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
    } finally {
      lastEnd = clock.now();
    }
  }

  async function run(target: string, request: FetchOptions): Promise<FetchedResponse> {
    let url = checkHost(target);
    let redirects = 0;
    let extraWait = 0;
    let failures = 0;
    for (;;) {
      await waitTurn(extraWait, request);
      let result: FetchedResponse | URL;
      try {
        result = await attempt(url, request);
      } catch (err) {
        if (!(err instanceof Retryable)) throw err;
        failures++;
        if (failures >= options.maxAttempts) {
          throw new ArxivUnavailableError(`arXiv unavailable after ${failures} attempts: ${err.message}`);
        }
        if (err.retryAfterMs !== null && err.retryAfterMs > maxRetryAfter) {
          throw new ArxivUnavailableError(
            `arXiv asked to wait ${Math.round(err.retryAfterMs / 1000)} s (${err.message}); giving up for now`,
          );
        }
        extraWait = err.retryAfterMs ?? Math.min(backoffMax, backoffBase * 2 ** (failures - 1));
        log.warn(
          { url: url.toString(), reason: err.message, waitMs: extraWait, attempt: failures },
          'arXiv request failed; retrying',
        );
        continue;
      }
      extraWait = 0;
      if (result instanceof URL) {
        if (++redirects > MAX_REDIRECTS) throw new ArxivUnavailableError('too many redirects');
        url = checkHost(result.toString());
        continue;
      }
      return result;
    }
  }

  return {
    get(url, request = {}) {
      // one request in flight: each call starts when the previous one has finished, retries included
      const result = queue.then(() => run(url, request));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

/**
 * `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3) → milliseconds from now, or null when absent
 * or unreadable. `Retry-After: 0` is 0 (the spacing still applies).
 * @example retryAfterMs('120', 0) // 120000
 */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  // HTTP dates always name the month ("Wed, 19 Mar 2025 04:31:00 GMT"); Date.parse alone would take "-5"
  if (!/[A-Za-z]{3}/.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The body, refused as soon as it grows past `maxBytes` (decompressed bytes are what is counted). */
async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new ResponseTooLargeError(`answer of ${declared} bytes is over the ${maxBytes}-byte limit`);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ResponseTooLargeError(`answer is over the ${maxBytes}-byte limit`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, size);
}
