import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import { runKeywords } from '../keywords/keywords-job.ts';
import type { Logger } from '../log.ts';
import { runForYou } from '../recommendations/for-you-job.ts';
import { runSummaries, summaryEndpoint } from '../summaries/summaries-job.ts';
import { UsageError } from './command.ts';

/** A whole number above 0 from an option, or the default when the option is absent. */
function positiveInteger(value: string | undefined, option: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(Number.isInteger(n) && n > 0)) throw new UsageError(`${option} must be a whole number above 0`);
  return n;
}

/** `paperboy keywords [--limit N]`: the keywords job now, by hand, resumable. */
export async function runKeywordsCommand(store: Store, options: { limit?: string }): Promise<void> {
  const limit = positiveInteger(options.limit, '--limit');
  const summary = await runKeywords(store, {
    limit,
    onProgress: (done) => {
      if (done % 10_000 === 0) process.stderr.write(`${done} papers…\n`);
    },
  });
  process.stdout.write(`Keyphrases for ${summary.papers} papers in ${summary.seconds.toFixed(1)} s.\n`);
}

/** Checked before the store is opened: without a model there is nothing to do. */
export function summarizeOptions(config: Config, options: { limit?: string }) {
  const endpoint = summaryEndpoint(config);
  if (!endpoint) throw new UsageError('set SUMMARY_API_URL and SUMMARY_MODEL to write summaries');
  const limit = positiveInteger(options.limit, '--limit', config.SUMMARY_MAX_PER_RUN) as number;
  return { endpoint, limit };
}

/** `paperboy summarize [--limit N]`: one-line summaries of featured papers now. */
export async function runSummarizeCommand(
  store: Store,
  config: Config,
  log: Logger,
  options: { limit?: string },
): Promise<void> {
  const { endpoint, limit } = summarizeOptions(config, options);
  const result = await runSummaries(store, endpoint, log, limit);
  process.stdout.write(`Summaries written: ${result.written}, failed: ${result.failed}.\n`);
  process.exitCode = result.failed > 0 && result.written === 0 ? 1 : 0;
}

/** `paperboy for-you [--all]`: every member's recommendations now. */
export async function runForYouCommand(
  store: Store,
  config: Config,
  options: { all?: boolean },
): Promise<void> {
  const summary = await runForYou(store, config, { force: options.all === true });
  process.stdout.write(
    `Recommendations for ${summary.members} members (${summary.skipped} unchanged) in ${summary.seconds.toFixed(1)} s.\n`,
  );
}
