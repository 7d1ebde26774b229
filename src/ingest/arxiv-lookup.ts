import type { PaperRecord } from '../papers/paper.ts';
import { ApiFormatError, parseArxivFeed } from './arxiv-api.ts';
import type { FetchOptions, PoliteFetcher } from './polite-fetch.ts';

/**
 * Looks papers up by id with the arXiv API (`id_list`), through the shared polite fetcher. Ids go in batches
 * (README rule 2: slices well under 2,000; 100 keeps the URL short). An error feed is detected by its content,
 * whatever the HTTP status (README rule 3).
 */
export interface LookupResult {
  found: PaperRecord[];
  /** ids arXiv did not return */
  missing: string[];
}

export interface ArxivLookup {
  lookup(ids: readonly string[], options?: Pick<FetchOptions, 'deadline' | 'signal'>): Promise<LookupResult>;
}

/** arXiv said no (an error feed) or said something unreadable. */
export class ArxivApiError extends Error {}

export const LOOKUP_BATCH = 100;

/**
 * @example const arxiv = createArxivLookup({ fetcher, apiUrl: 'https://export.arxiv.org/api/query' });
 *          const { found, missing } = await arxiv.lookup(['2312.07000', 'hep-th/9901001']);
 */
export function createArxivLookup(options: {
  fetcher: PoliteFetcher;
  apiUrl: string;
  maxBytes?: number;
}): ArxivLookup {
  return {
    async lookup(ids, fetchOptions = {}) {
      const wanted = [...new Set(ids)];
      const found = new Map<string, PaperRecord>();
      for (let i = 0; i < wanted.length; i += LOOKUP_BATCH) {
        const batch = wanted.slice(i, i + LOOKUP_BATCH);
        const url = new URL(options.apiUrl);
        url.search = new URLSearchParams({
          id_list: batch.join(','),
          start: '0',
          max_results: String(batch.length),
        }).toString();
        const answer = await options.fetcher.get(url.toString(), {
          ...fetchOptions,
          accept: 'application/atom+xml',
        });
        let feed: ReturnType<typeof parseArxivFeed>;
        try {
          feed = parseArxivFeed(answer.body, options.maxBytes);
        } catch (err) {
          if (!(err instanceof ApiFormatError)) throw err;
          throw new ArxivApiError(
            `arXiv API answered HTTP ${answer.status} with an unreadable body: ${err.message}`,
          );
        }
        if (feed.kind === 'error') throw new ArxivApiError(`arXiv API error: ${feed.message}`);
        for (const entry of feed.entries) {
          if (entry.ok && batch.includes(entry.paper.id)) found.set(entry.paper.id, entry.paper);
        }
      }
      return { found: [...found.values()], missing: wanted.filter((id) => !found.has(id)) };
    },
  };
}
