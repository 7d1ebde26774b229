import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Job } from '../jobs/registry.ts';
import { parseDigestPeriod } from './digest-period.ts';
import { periodsWithPendingRows } from './outbox.store.ts';
import { duePeriods } from './schedule.ts';
import { type DigestDeps, sendDigests } from './send.ts';

const CHECK_EVERY_MS = 60_000;

async function lastStarted(db: Kysely<Database>, frequency: 'daily' | 'weekly'): Promise<string | null> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', `digest-last-${frequency}`)
    .executeTakeFirst();
  return row?.value ?? null;
}

async function setLastStarted(
  db: Kysely<Database>,
  frequency: 'daily' | 'weekly',
  key: string,
): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: `digest-last-${frequency}`, value: key })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: key }))
    .execute();
}

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
    { daily: await lastStarted(db, 'daily'), weekly: await lastStarted(db, 'weekly') },
  );
  for (const period of due) {
    await setLastStarted(db, period.frequency, period.key);
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
    nextRun: (after) => after + CHECK_EVERY_MS,
    run: () => runDigestSchedule(deps),
  };
}
