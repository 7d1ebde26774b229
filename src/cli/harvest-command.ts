import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import { createArxivServices, harvestStoreOf } from '../harvest/arxiv-services.ts';
import { HarvestRangeError, type HarvestSummary } from '../harvest/run-harvest.ts';
import type { Logger } from '../log.ts';
import { UsageError } from './command.ts';
import { createHarvestProgress } from './harvest-progress.ts';

export interface HarvestCommandOptions {
  from?: string;
  until?: string;
  set?: string[];
}

const SET = /^[a-z-]+(:[A-Za-z-]+(:[A-Za-z-]+)?)?$/;

/** Exit codes: 0 done, 1 failed (try again later), 3 arXiv answered 403 (a person must look), 130 interrupted. */
export const HARVEST_EXIT = {
  ok: 0,
  failed: 1,
  forbidden: 3,
  stopped: 130,
  interrupted: 130,
  running: 1,
} as const;

/**
 * `paperboy harvest [--from DAY [--until DAY]] [--set SPEC…]`: the harvest job, run now, with a progress display
 * and a summary. Without --from it is the daily harvest (it resumes an unfinished list first).
 */
export async function runHarvestCommand(
  store: Store,
  config: Config,
  log: Logger,
  options: HarvestCommandOptions,
): Promise<HarvestSummary> {
  if (options.until && !options.from)
    throw new UsageError('--until needs --from (a back-fill is a range of days)');
  const sets = (options.set ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const set of sets) {
    if (!SET.test(set))
      throw new UsageError(`--set "${set.slice(0, 60)}" is not an arXiv OAI set (e.g. cs, cs:cs:AI)`);
  }
  const services = createArxivServices(
    sets.length > 0 ? { ...config, HARVEST_SETS: sets } : config,
    log,
    harvestStoreOf(store),
  );
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
    process.stderr.write('\nStopping: every page so far is stored (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  try {
    const summary = await services.harvest({
      trigger: options.from ? 'backfill' : 'cli',
      from: options.from ?? null,
      until: options.until ?? null,
      progress: createHarvestProgress(),
      signal: controller.signal,
    });
    printSummary(summary, (Date.now() - started) / 1000);
    return summary;
  } catch (err) {
    if (err instanceof HarvestRangeError) throw new UsageError(err.message);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printSummary(s: HarvestSummary, seconds: number): void {
  const lines = [
    `\nHarvest run ${s.runId}: ${s.status} in ${seconds.toFixed(1)} s`,
    `  pages      ${s.pages}`,
    `  records    ${s.records}`,
    `  inserted   ${s.inserted}`,
    `  updated    ${s.updated}`,
    `  unchanged  ${s.unchanged}`,
    `  deleted    ${s.deleted}`,
    `  filtered   ${s.filtered}`,
    `  rejected   ${s.rejected}`,
    `  errors     ${s.errors}`,
  ];
  if (s.error) lines.push(`\nLast error: ${s.error}`);
  if (s.status === 'stopped')
    lines.push('\nInterrupted: every page so far is stored. Run the same command again to go on.');
  if (s.status === 'failed')
    lines.push('\nWhat is stored stays; the next run resumes where this one stopped.');
  process.stdout.write(`${lines.join('\n')}\n`);
}
