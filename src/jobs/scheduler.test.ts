import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../test/helpers/clock.ts';
import type { ArxivServices } from '../harvest/arxiv-services.ts';
import { HarvestBusyError } from '../harvest/harvest.store.ts';
import { createHarvestJob } from '../harvest/harvest-job.ts';
import { silentLogger } from '../log.ts';
import { systemClock } from './clock.ts';
import { nextDailyTime } from './daily-times.ts';
import { createJobRegistry, type Job } from './registry.ts';
import { cronExpressions, dailyAt, describeSchedule, every, nextRunAfter } from './schedule.ts';
import { startScheduler } from './scheduler.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('nextDailyTime', () => {
  it('gives the next listed UTC time strictly after the instant', () => {
    expect(iso(nextDailyTime(['04:30'], at('2025-03-19T04:29:59Z'))!)).toBe('2025-03-19T04:30:00.000Z');
    expect(iso(nextDailyTime(['04:30'], at('2025-03-19T04:30:00Z'))!)).toBe('2025-03-20T04:30:00.000Z');
    expect(iso(nextDailyTime(['16:00', '04:30'], at('2025-03-19T05:00:00Z'))!)).toBe(
      '2025-03-19T16:00:00.000Z',
    );
    expect(iso(nextDailyTime(['00:00'], at('2025-12-31T23:59:00Z'))!)).toBe('2026-01-01T00:00:00.000Z');
    expect(nextDailyTime([], 0)).toBeNull();
    expect(() => nextDailyTime(['4:30'], 0)).toThrow(/not a time of day/);
  });
});

/** Runs the scheduler on a fake clock until the job has run `times` times; returns when each run started. */
async function runTimes(job: Omit<Job, 'run'> & { fail?: boolean }, times: number, start: string) {
  const clock = fakeClock(at(start));
  const ran: string[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const scheduler = startScheduler(
    [
      {
        ...job,
        async run() {
          ran.push(iso(clock.now()));
          if (ran.length === times) done();
          if (job.fail) throw new Error('boom');
          // a wait inside the job: the scheduler must not start it again meanwhile
          await clock.sleep(60_000);
        },
      },
    ],
    { clock, log: silentLogger },
  );
  await finished;
  await scheduler.stop();
  return ran;
}

describe('a schedule, declared once and read by both runners', () => {
  it('runs "every n minutes" on the clock, strictly after the instant', () => {
    expect(iso(nextRunAfter(every(10), at('2025-03-19T05:03:10Z'))!)).toBe('2025-03-19T05:10:00.000Z');
    expect(iso(nextRunAfter(every(10), at('2025-03-19T05:10:00Z'))!)).toBe('2025-03-19T05:20:00.000Z');
    expect(iso(nextRunAfter(every(60), at('2025-03-19T23:59:00Z'))!)).toBe('2025-03-20T00:00:00.000Z');
    expect(iso(nextRunAfter(every(1), at('2025-03-19T05:03:10Z'))!)).toBe('2025-03-19T05:04:00.000Z');
    expect(nextRunAfter(dailyAt([]), at('2025-03-19T05:03:10Z'))).toBeNull();
  });

  it('says the same thing as cron expressions for pg-boss', () => {
    expect(cronExpressions(every(1))).toEqual(['* * * * *']);
    expect(cronExpressions(every(15))).toEqual(['*/15 * * * *']);
    expect(cronExpressions(every(60))).toEqual(['0 * * * *']);
    expect(cronExpressions(dailyAt(['04:30']))).toEqual(['30 4 * * *']);
    // times sharing a minute share an expression; the others get one each (one pg-boss schedule per queue)
    expect(cronExpressions(dailyAt(['16:30', '04:30', '09:05']))).toEqual(['30 4,16 * * *', '5 9 * * *']);
    expect(cronExpressions(dailyAt([]))).toEqual([]);
    expect(describeSchedule(every(10))).toBe('every 10 min');
  });

  it('every tick cron fires is a tick the in-process scheduler picks, over a whole day', () => {
    // a small reading of the cron expressions above ("m h" fields), checked minute by minute against nextRunAfter
    for (const schedule of [
      every(1),
      every(10),
      every(15),
      every(60),
      dailyAt(['04:30', '16:30', '09:05']),
    ]) {
      const matches = (cron: string, d: Date) => {
        const [m, h] = cron.split(' ') as [string, string];
        const field = (f: string, v: number) =>
          f === '*' ||
          (f.startsWith('*/') ? v % Number(f.slice(2)) === 0 : f.split(',').map(Number).includes(v));
        return field(m, d.getUTCMinutes()) && field(h, d.getUTCHours());
      };
      const start = at('2025-03-19T00:00:00Z');
      const byCron: number[] = [];
      for (let t = start; t < start + 86_400_000; t += 60_000)
        if (cronExpressions(schedule).some((c) => matches(c, new Date(t)))) byCron.push(t);
      const byScheduler: number[] = [];
      for (
        let t = nextRunAfter(schedule, start - 1);
        t !== null && t < start + 86_400_000;
        t = nextRunAfter(schedule, t)
      )
        byScheduler.push(t);
      expect(byScheduler).toEqual(byCron);
      expect(byCron.length).toBeGreaterThan(0);
    }
  });

  it('refuses what cron and the scheduler could not both say', () => {
    expect(() => every(7)).toThrow(/every 7/);
    expect(() => every(0)).toThrow();
    expect(() => every(90)).toThrow();
    expect(() => dailyAt(['24:00'])).toThrow(/not a time of day/);
    expect(() => dailyAt(['4:30'])).toThrow(/not a time of day/);
    expect(() => dailyAt(['04:30; DROP'])).toThrow(/not a time of day/);
  });
});

describe('the scheduler (injected clock)', () => {
  it('runs a job at its times, one run at a time', async () => {
    const ran = await runTimes(
      {
        name: 't',
        schedule: dailyAt(['04:30', '16:00']),
        lastRun: () => at('2025-03-19T04:30:00Z'),
      },
      3,
      '2025-03-19T05:00:00Z',
    );
    expect(ran).toEqual(['2025-03-19T16:00:00.000Z', '2025-03-20T04:30:00.000Z', '2025-03-20T16:00:00.000Z']);
  });

  it('makes up a run missed while stopped, or never made, a minute after start', async () => {
    const schedule = { name: 't', schedule: dailyAt(['04:30']) };
    const missed = await runTimes(
      { ...schedule, lastRun: () => at('2025-03-17T04:35:00Z') },
      2,
      '2025-03-19T05:00:00Z',
    );
    expect(missed).toEqual(['2025-03-19T05:01:00.000Z', '2025-03-20T04:30:00.000Z']);
    const never = await runTimes({ ...schedule, lastRun: () => null }, 1, '2025-03-19T05:00:00Z');
    expect(never).toEqual(['2025-03-19T05:01:00.000Z']);
  });

  it('keeps scheduling a job that fails', async () => {
    const ran = await runTimes(
      { name: 't', schedule: dailyAt(['04:30']), fail: true },
      2,
      '2025-03-19T05:00:00Z',
    );
    expect(ran).toEqual(['2025-03-20T04:30:00.000Z', '2025-03-21T04:30:00.000Z']);
  });

  it('stops at once while waiting on the real clock', async () => {
    const scheduler = startScheduler(
      [{ name: 'far', schedule: dailyAt(['04:30']), run: async () => undefined }],
      { clock: systemClock, log: silentLogger },
    );
    await scheduler.stop();
  });

  it('keeps a registry of named jobs', () => {
    const registry = createJobRegistry();
    const job: Job = { name: 'harvest', schedule: dailyAt([]), run: async () => undefined };
    registry.register(job);
    expect(registry.get('harvest')).toBe(job);
    expect(() => registry.register(job)).toThrow(/already registered/);
    expect(registry.list()).toEqual([job]);
  });
});

describe('the harvest job', () => {
  function services(last: { status: string; finishedAt: string } | null, harvest: ArxivServices['harvest']) {
    return {
      harvest,
      harvestStore: {
        lastFinishedRun: async () => last,
        lastSuccessfulRunAt: async () => '2025-03-18T04:31:00.000Z',
      },
    } as unknown as ArxivServices;
  }

  it('harvests on schedule, but not after arXiv answered 403, and skips when a harvest is running', async () => {
    const calls: string[] = [];
    const harvest: ArxivServices['harvest'] = async (request) => {
      calls.push(request.trigger);
      return {} as never;
    };
    const job = createHarvestJob(
      services({ status: 'ok', finishedAt: 'x' }, harvest),
      ['04:30'],
      silentLogger,
    );
    expect(await job.lastRun!()).toBe(at('2025-03-18T04:31:00.000Z'));
    expect(iso(nextRunAfter(job.schedule, at('2025-03-19T05:00:00Z'))!)).toBe('2025-03-20T04:30:00.000Z');
    await job.run(new AbortController().signal);
    expect(calls).toEqual(['schedule']);

    const blocked = createHarvestJob(
      services({ status: 'forbidden', finishedAt: 'x' }, harvest),
      ['04:30'],
      silentLogger,
    );
    await blocked.run(new AbortController().signal);
    expect(calls).toEqual(['schedule']);

    const busy = createHarvestJob(
      services(null, async () => {
        throw new HarvestBusyError('a harvest is already running');
      }),
      ['04:30'],
      silentLogger,
    );
    await expect(busy.run(new AbortController().signal)).resolves.toBeUndefined();
  });
});
