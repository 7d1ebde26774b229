import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../test/helpers/clock.ts';
import type { ArxivServices } from '../harvest/arxiv-services.ts';
import { HarvestBusyError } from '../harvest/harvest.store.ts';
import { createHarvestJob } from '../harvest/harvest-job.ts';
import { silentLogger } from '../log.ts';
import { systemClock } from './clock.ts';
import { nextDailyTime } from './daily-times.ts';
import { createJobRegistry, type Job } from './registry.ts';
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

describe('the scheduler (injected clock)', () => {
  it('runs a job at its times, one run at a time', async () => {
    const ran = await runTimes(
      {
        name: 't',
        nextRun: (after) => nextDailyTime(['04:30', '16:00'], after),
        lastRun: () => at('2025-03-19T04:30:00Z'),
      },
      3,
      '2025-03-19T05:00:00Z',
    );
    expect(ran).toEqual(['2025-03-19T16:00:00.000Z', '2025-03-20T04:30:00.000Z', '2025-03-20T16:00:00.000Z']);
  });

  it('makes up a run missed while stopped, or never made, a minute after start', async () => {
    const schedule = { name: 't', nextRun: (after: number) => nextDailyTime(['04:30'], after) };
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
      { name: 't', nextRun: (after) => nextDailyTime(['04:30'], after), fail: true },
      2,
      '2025-03-19T05:00:00Z',
    );
    expect(ran).toEqual(['2025-03-20T04:30:00.000Z', '2025-03-21T04:30:00.000Z']);
  });

  it('stops at once while waiting on the real clock', async () => {
    const scheduler = startScheduler(
      [{ name: 'far', nextRun: (after) => after + 10 * 86_400_000, run: async () => undefined }],
      { clock: systemClock, log: silentLogger },
    );
    await scheduler.stop();
  });

  it('keeps a registry of named jobs', () => {
    const registry = createJobRegistry();
    const job: Job = { name: 'harvest', nextRun: () => null, run: async () => undefined };
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
    expect(iso(job.nextRun(at('2025-03-19T05:00:00Z'))!)).toBe('2025-03-20T04:30:00.000Z');
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
