/**
 * Time as jobs and the arXiv fetcher see it. Injected, so tests check waits (the 3-second spacing, Retry-After,
 * schedules) by reading a fake clock instead of sleeping.
 */
export interface Clock {
  /** milliseconds since the epoch */
  now(): number;
  /** resolves after `ms`; rejects with the signal's reason when it is aborted first */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: Date.now and setTimeout. The timer is not unref'd: a harvest waiting its 3 seconds must keep
 * a command-line process alive (a test caught `paperboy harvest` exiting quietly between two pages).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
