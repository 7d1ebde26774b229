import type { Job } from '../jobs/registry.ts';
import { every } from '../jobs/schedule.ts';
import { readSetting, writeSetting } from '../settings/settings.store.ts';
import { parseDigestPeriod } from './digest-period.ts';
import { periodsWithPendingRows } from './outbox.store.ts';
import { duePeriods } from './schedule.ts';
import { type DigestDeps, sendDigests } from './send.ts';

/**
 * One check of the digest schedule: starts the periods that are due (remembering them in the settings table)
 * and sends what earlier periods still have waiting (retries, or a run cut short). A job function: the
 * scheduler calls it every minute inside `paperboy serve`; `paperboy digest send` does the same by hand.
 */
export async function runDigestSchedule(deps: DigestDeps, now = new Date()): Promise<void> {
  const { db } = deps.store;
  const due = duePeriods(
    now,
    {
      hour: deps.config.DIGEST_DAILY_HOUR,
      weeklyDay: deps.config.DIGEST_WEEKLY_DAY,
      timeZone: deps.config.DIGEST_TIMEZONE,
    },
    {
      daily: await readSetting(db, 'digest-last-daily'),
      weekly: await readSetting(db, 'digest-last-weekly'),
    },
  );
  for (const period of due) {
    await writeSetting(db, `digest-last-${period.frequency}`, period.key);
    const summary = await sendDigests(deps, period);
    deps.log.info(summary, 'digests sent');
  }
  for (const key of await periodsWithPendingRows(db)) {
    const period = parseDigestPeriod(key);
    if (period && !due.some((d) => d.key === key)) await sendDigests(deps, period);
  }
}

/** The digest job for the scheduler (src/jobs): checks the schedule every minute. */
export function createDigestJob(deps: DigestDeps): Job {
  return {
    name: 'digests',
    schedule: every(1),
    run: () => runDigestSchedule(deps),
  };
}
