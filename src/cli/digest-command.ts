import cliProgress from 'cli-progress';
import { createAppDeps } from '../app/deps.ts';
import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import {
  type DigestPeriod,
  digestPeriod,
  parseDigestPeriod,
  previousPeriod,
} from '../digests/digest-period.ts';
import { composeDigest, type DigestDeps, digestCandidates, sendDigests } from '../digests/send.ts';
import { confirmedSubscriptionIds, findSubscription } from '../digests/subscriptions.store.ts';
import { parseDayPeriod, parseWeekPeriod } from '../features/periods.ts';
import type { Logger } from '../log.ts';
import { UsageError } from './command.ts';

export interface DigestCommandOptions {
  period: string;
  date?: string;
  week?: string;
  dryRun?: boolean;
}

/** Which period `--period daily|weekly [--date D | --week W]` (or a full key such as daily:2026-11-27) means. */
export function periodFromOptions(options: DigestCommandOptions, now = new Date()): DigestPeriod {
  const full = parseDigestPeriod(options.period);
  if (full) return full;
  if (options.period !== 'daily' && options.period !== 'weekly') {
    throw new UsageError('--period must be daily, weekly, daily:YYYY-MM-DD or weekly:YYYY-Www');
  }
  if (options.period === 'daily' && options.date) {
    const day = parseDayPeriod(options.date);
    if (!day) throw new UsageError('--date must be a day as YYYY-MM-DD');
    return digestPeriod('daily', day);
  }
  if (options.period === 'weekly' && options.week) {
    const week = parseWeekPeriod(options.week);
    if (!week) throw new UsageError('--week must be an ISO week as YYYY-Www');
    return digestPeriod('weekly', week);
  }
  return previousPeriod(options.period, now);
}

/** `paperboy digest send` with the app's mailer and links, closed after. */
export async function runDigestCommand(
  store: Store,
  config: Config,
  log: Logger,
  options: DigestCommandOptions,
): Promise<void> {
  const deps = await createAppDeps(store, config, log);
  try {
    await runDigestSend(deps, options);
  } finally {
    deps.mailer.close();
  }
}

/** Sends (or with --dry-run, only composes) one period's digests, with progress. */
export async function runDigestSend(deps: DigestDeps, options: DigestCommandOptions): Promise<void> {
  const period = periodFromOptions(options);
  if (options.dryRun) {
    const candidates = await digestCandidates(deps.store, period);
    const subs = await confirmedSubscriptionIds(deps.store.db, period.frequency);
    let wouldSend = 0;
    for (const id of subs) {
      const sub = await findSubscription(deps.store.db, id);
      if (sub && composeDigest(deps, sub, period, candidates)) wouldSend++;
    }
    process.stdout.write(
      `Dry run for ${period.key}: ${candidates.length} featured papers; ${subs.length} confirmed ${period.frequency} subscribers; ` +
        `${wouldSend} would get a digest, ${subs.length - wouldSend} have no matching paper. Nothing was sent or written.\n`,
    );
    return;
  }
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${period.key} {bar} {value}/{total} digests | ETA {eta_formatted}`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  let lastLine = 0;
  const summary = await sendDigests(deps, period, {
    onProgress: (done, total) => {
      if (bar) {
        if (!started) bar.start(total, done);
        started = true;
        bar.update(done);
      } else if (Date.now() - lastLine > 5000) {
        lastLine = Date.now();
        process.stderr.write(`digest ${period.key}: ${done}/${total}\n`);
      }
    },
  });
  bar?.stop();
  process.stdout.write(
    `Digests for ${summary.period} in ${summary.seconds.toFixed(1)} s: ${summary.sent} sent, ${summary.skipped} skipped (no matching paper), ` +
      `${summary.retrying} to retry later, ${summary.failed} failed.\n`,
  );
}
