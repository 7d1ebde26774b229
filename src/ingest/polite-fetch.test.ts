import { afterEach, describe, expect, it } from 'vitest';
import { type FakeClock, fakeClock } from '../../test/helpers/clock.ts';
import { type Handler, type LocalServer, send, startLocalServer } from '../../test/helpers/local-server.ts';
import { silentLogger } from '../log.ts';
import {
  ArxivForbiddenError,
  ArxivUnavailableError,
  createPoliteFetcher,
  FetchDeadlineError,
  HostNotAllowedError,
  type PoliteFetcherOptions,
  ResponseTooLargeError,
  retryAfterMs,
} from './polite-fetch.ts';

let server: LocalServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A fetcher against a local server, with a fake clock that records when each request was sent. */
async function setup(handler: Handler, overrides: Partial<PoliteFetcherOptions> = {}) {
  server = await startLocalServer(handler);
  const clock: FakeClock = fakeClock();
  const sentAt: number[] = [];
  const fetcher = createPoliteFetcher({
    userAgent: 'Paperboy/test (http://paperboy.test; mailto:admin@paperboy.test)',
    allowedHosts: [server.host],
    minIntervalMs: 3000,
    timeoutMs: 5000,
    maxBytes: 10_000,
    maxAttempts: 4,
    clock,
    log: silentLogger,
    fetch: (input, init) => {
      sentAt.push(clock.now());
      return fetch(input, init);
    },
    ...overrides,
  });
  return { server, clock, sentAt, fetcher, url: (path: string) => `${server!.origin}${path}` };
}

/** Answers each request with the next step; the last step repeats. */
function script(...steps: Handler[]): Handler {
  let i = 0;
  return (req, res, url) => steps[Math.min(i++, steps.length - 1)]!(req, res, url);
}
const ok: Handler = (_req, res) => send(res, 200, '<ok/>');

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

describe('the polite fetcher', () => {
  it('sends one request at a time, at least 3 s apart (injected clock), with the User-Agent', async () => {
    const { fetcher, sentAt, url, server } = await setup(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 20));
      send(res, 200, '<ok/>');
    });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => fetcher.get(url(`/q?n=${n}`))));
    expect(answers.map((a) => a.body.toString())).toEqual(['<ok/>', '<ok/>', '<ok/>', '<ok/>']);
    expect(sentAt).toHaveLength(4);
    for (const gap of gaps(sentAt)) expect(gap).toBeGreaterThanOrEqual(3000);
    expect(server.maxConcurrent).toBe(1);
    expect(server.requests.map((r) => r.url.search)).toEqual(['?n=1', '?n=2', '?n=3', '?n=4']);
    expect(server.requests[0]!.headers['user-agent']).toBe(
      'Paperboy/test (http://paperboy.test; mailto:admin@paperboy.test)',
    );
  });

  it('refuses a spacing under 3 s; a longer one is kept', async () => {
    expect(() => createPoliteFetcher({ minIntervalMs: 2999 } as PoliteFetcherOptions)).toThrow(/3000 ms/);
    const { fetcher, sentAt, url } = await setup(ok, { minIntervalMs: 10_000 });
    await fetcher.get(url('/a'));
    await fetcher.get(url('/b'));
    expect(gaps(sentAt)).toEqual([10_000]);
  });

  it('honours 503 Retry-After (seconds or a date) and 429, then succeeds', async () => {
    const { fetcher, sentAt, url, clock } = await setup(
      script(
        (_q, res) => send(res, 503, 'busy', { 'retry-after': '7' }),
        (_q, res) => send(res, 503, 'busy', { 'retry-after': new Date(clock.now() + 20_000).toUTCString() }),
        (_q, res) => send(res, 429, 'slow down', { 'retry-after': '0' }),
        ok,
      ),
    );
    const answer = await fetcher.get(url('/oai'));
    expect(answer.status).toBe(200);
    expect(sentAt).toHaveLength(4);
    const [first, second, third] = gaps(sentAt) as [number, number, number];
    expect(first).toBeGreaterThanOrEqual(7000);
    expect(second).toBeGreaterThanOrEqual(19_000);
    expect(third).toBeGreaterThanOrEqual(3000); // Retry-After: 0 still waits the spacing
  });

  it('backs off exponentially on 5xx and 429 without Retry-After, and gives up after maxAttempts', async () => {
    const { fetcher, sentAt, url } = await setup((_q, res) => send(res, 500, 'oops'), {
      maxAttempts: 4,
      backoffBaseMs: 5000,
      backoffMaxMs: 12_000,
    });
    await expect(fetcher.get(url('/oai'))).rejects.toThrow(ArxivUnavailableError);
    expect(gaps(sentAt)).toEqual([5000, 10_000, 12_000]);
  });

  it('gives up at once when Retry-After asks for more than an hour', async () => {
    const { fetcher, sentAt, url } = await setup((_q, res) =>
      send(res, 503, 'maintenance', { 'retry-after': '7200' }),
    );
    await expect(fetcher.get(url('/oai'))).rejects.toThrow(/asked to wait 7200 s/);
    expect(sentAt).toHaveLength(1);
  });

  it('retries a timeout and a reset connection', async () => {
    const { fetcher, url, server } = await setup(
      script(
        () => undefined, // never answers: the attempt times out
        (req) => {
          req.socket.destroy(); // connection reset
        },
        ok,
      ),
      { timeoutMs: 300 },
    );
    const answer = await fetcher.get(url('/oai'));
    expect(answer.body.toString()).toBe('<ok/>');
    expect(server.requests).toHaveLength(3);
  });

  it('stops on 403 without retrying', async () => {
    const { fetcher, url, server } = await setup((_q, res) => send(res, 403, 'go away'));
    await expect(fetcher.get(url('/oai'))).rejects.toThrow(ArxivForbiddenError);
    expect(server.requests).toHaveLength(1);
  });

  it('returns other 4xx answers to the caller (the API puts its errors in the body)', async () => {
    const { fetcher, url } = await setup((_q, res) => send(res, 400, '<feed/>'));
    const answer = await fetcher.get(url('/api'));
    expect(answer.status).toBe(400);
    expect(answer.body.toString()).toBe('<feed/>');
  });

  it('contacts only allowed hosts, redirects included', async () => {
    const { fetcher, url, server } = await setup(
      script(
        (_q, res) => send(res, 302, '', { location: '/moved' }),
        (_q, res) => send(res, 200, '<moved/>'),
        (_q, res) => send(res, 301, '', { location: 'http://169.254.169.254/latest' }),
      ),
    );
    expect((await fetcher.get(url('/a'))).body.toString()).toBe('<moved/>');
    await expect(fetcher.get(url('/b'))).rejects.toThrow(/169.254.169.254 is not an allowed arXiv host/);
    await expect(fetcher.get('https://example.org/oai')).rejects.toThrow(HostNotAllowedError);
    await expect(fetcher.get('file:///etc/passwd')).rejects.toThrow(HostNotAllowedError);
    await expect(fetcher.get('not a url')).rejects.toThrow(HostNotAllowedError);
    expect(server.requests.map((r) => r.url.pathname)).toEqual(['/a', '/moved', '/b']);
  });

  it('refuses answers over the size cap, declared or streamed', async () => {
    const big = 'x'.repeat(20_000);
    const { fetcher, url } = await setup(
      script(
        (_q, res) => send(res, 200, big),
        (_q, res) => {
          res.writeHead(200, { 'content-type': 'application/xml' });
          res.write(big.slice(0, 8000));
          res.end(big.slice(8000));
        },
      ),
    );
    await expect(fetcher.get(url('/a'))).rejects.toThrow(ResponseTooLargeError);
    await expect(fetcher.get(url('/b'))).rejects.toThrow(/over the 10000-byte limit/);
  });

  it('drops a request whose turn would come after its deadline, sending nothing', async () => {
    const { fetcher, url, clock, server } = await setup(ok);
    await fetcher.get(url('/first'));
    await expect(fetcher.get(url('/late'), { deadline: clock.now() + 1000 })).rejects.toThrow(
      FetchDeadlineError,
    );
    expect(server.requests).toHaveLength(1);
    await fetcher.get(url('/later'), { deadline: clock.now() + 3000 });
    expect(server.requests).toHaveLength(2);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates; ignores nonsense', () => {
    const now = Date.parse('2025-03-19T04:30:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 19 Mar 2025 04:31:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Wed, 19 Mar 2025 04:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('-5', now)).toBeNull();
  });
});
