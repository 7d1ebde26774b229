import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import type { Job } from '../jobs/registry.ts';
import { every } from '../jobs/schedule.ts';
import type { Logger } from '../log.ts';
import { requestSummary, type SummaryEndpoint } from './chat-summary.ts';
import { papersToSummarise, saveSummary } from './summaries.store.ts';

/** The endpoint from the configuration, or null when none is configured (then there are no summaries). */
export function summaryEndpoint(config: Config): SummaryEndpoint | null {
  if (!config.SUMMARY_API_URL || !config.SUMMARY_MODEL) return null;
  return {
    url: config.SUMMARY_API_URL,
    model: config.SUMMARY_MODEL,
    apiKey: config.SUMMARY_API_KEY,
    timeoutMs: config.SUMMARY_TIMEOUT_SECONDS * 1000,
  };
}

/**
 * Writes one-line summaries for up to `limit` featured papers that have none, one request at a time. A paper
 * whose request fails is left for the next run; three failures in a row end this run (the endpoint is down).
 */
export async function runSummaries(
  store: Store,
  endpoint: SummaryEndpoint,
  log: Logger,
  limit: number,
  signal?: AbortSignal,
): Promise<{ written: number; failed: number }> {
  let written = 0;
  let failed = 0;
  let failedInARow = 0;
  for (const paper of await papersToSummarise(store.db, limit)) {
    if (signal?.aborted || failedInARow >= 3) break;
    try {
      const summary = await requestSummary(endpoint, paper, signal);
      if (summary) {
        await saveSummary(store.db, paper.id, summary, endpoint.model);
        written++;
      } else failed++;
      failedInARow = 0;
    } catch (err) {
      failed++;
      failedInARow++;
      log.warn({ paper: paper.id, err: (err as Error).message }, 'summary not written');
    }
  }
  return { written, failed };
}

export function createSummariesJob(store: Store, config: Config, log: Logger): Job | null {
  const endpoint = summaryEndpoint(config);
  if (!endpoint) return null;
  return {
    name: 'summaries',
    // every 15 minutes on both engines (main.ts once told pg-boss 10 while the job said 15)
    schedule: every(15),
    run: async (signal) => {
      const result = await runSummaries(store, endpoint, log, config.SUMMARY_MAX_PER_RUN, signal);
      if (result.written + result.failed > 0) log.info(result, 'summaries');
    },
  };
}
