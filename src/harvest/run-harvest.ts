import { OaiFormatError, type OaiPage, parseOaiPage } from '../ingest/arxiv-oai.ts';
import { paperFingerprint } from '../ingest/kaggle.ts';
import type { ArxivItem } from '../ingest/parse-file.ts';
import { ArxivForbiddenError, FetchError, type PoliteFetcher } from '../ingest/polite-fetch.ts';
import type { Clock } from '../jobs/clock.ts';
import type { Logger } from '../log.ts';
import type { HarvestState, HarvestStore, PageCounts, RunStatus } from './harvest.store.ts';
import {
  addDays,
  BACKFILL_CHUNK_DAYS,
  backfillScope,
  dayOf,
  daysBetween,
  EARLIEST_DATESTAMP,
  isDay,
  keepsCategories,
  listRecordsUrl,
  nextMidnightUtc,
  resumeUrl,
} from './oai-request.ts';

/**
 * The harvest job: ListRecords for each configured set, page by page, each page committed with the set's state
 * (README rules 6–10 of ../shared/data/arxiv_responses). A daily run resumes an unfinished list with its token,
 * or starts a new one `from` the day of the last completed list's first responseDate (rule 6); a back-fill walks
 * its range a week at a time. Harvesting the same days again changes nothing (the import writer keeps what is
 * unchanged).
 */
export interface HarvestSettings {
  oaiUrl: string;
  sets: readonly string[];
  metadataPrefix: string;
  categories: readonly string[];
  initialDays: number;
  maxBytes?: number;
}

export interface HarvestDeps {
  store: HarvestStore;
  fetcher: PoliteFetcher;
  clock: Clock;
  log: Logger;
}

export type HarvestCounts = PageCounts & { pages: number };

export interface HarvestProgress {
  start(totalUnits: number): void;
  /** `units` lists (back-fill weeks, or sets) done so far; counts so far; what is being harvested */
  update(units: number, counts: HarvestCounts, label: string): void;
  stop(): void;
}

export interface HarvestRequest {
  trigger: 'schedule' | 'cli' | 'backfill';
  /** a back-fill: from this day… */
  from?: string | null;
  /** …to this one (default: today) */
  until?: string | null;
  progress?: HarvestProgress;
  signal?: AbortSignal;
}

export interface HarvestSummary extends HarvestCounts {
  runId: number;
  status: RunStatus;
  errors: number;
  error: string | null;
}

export class HarvestRangeError extends Error {}

type SetOutcome = 'ok' | 'failed' | 'forbidden' | 'stopped';

const DAILY = 'daily';

/** Checks a back-fill range: real days, not before arXiv's earliest datestamp, not in the future, in order. */
export function checkRange(from: string, until: string, today: string): void {
  for (const [name, day] of [
    ['--from', from],
    ['--until', until],
  ] as const) {
    if (!isDay(day))
      throw new HarvestRangeError(`${name} must be a day written YYYY-MM-DD (got "${day.slice(0, 40)}")`);
  }
  if (from < EARLIEST_DATESTAMP)
    throw new HarvestRangeError(`--from is before arXiv's earliest datestamp ${EARLIEST_DATESTAMP}`);
  if (until > today) throw new HarvestRangeError(`--until ${until} is in the future (today is ${today} UTC)`);
  if (from > until) throw new HarvestRangeError(`--from ${from} is after --until ${until}`);
}

/** Runs one harvest. Never throws for arXiv's or the network's failures: they end up in the summary and the run row. */
export async function runHarvest(
  deps: HarvestDeps,
  settings: HarvestSettings,
  request: HarvestRequest,
): Promise<HarvestSummary> {
  const { store, clock, log } = deps;
  const now = () => new Date(clock.now()).toISOString();
  const today = dayOf(clock.now());
  const backfill = request.from ? { from: request.from, until: request.until ?? today } : null;
  if (backfill) checkRange(backfill.from, backfill.until, today);
  const runId = await store.beginRun({
    trigger: request.trigger,
    sets: [...settings.sets],
    fromDay: backfill?.from ?? null,
    untilDay: backfill?.until ?? null,
    now: now(),
  });
  const totals: HarvestCounts = {
    pages: 0,
    records: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    filtered: 0,
    rejected: 0,
  };
  const chunksPerSet = backfill
    ? Math.ceil(daysBetween(backfill.from, backfill.until) / BACKFILL_CHUNK_DAYS)
    : 1;
  const progress = request.progress;
  progress?.start(chunksPerSet * settings.sets.length);
  let errors = 0;
  let lastError: string | null = null;
  let status: RunStatus = 'ok';
  log.info({ runId, sets: settings.sets, ...backfill }, 'harvest started');

  const fail = async (message: string, level: 'warn' | 'error' = 'error') => {
    errors++;
    lastError = message;
    await store.noteError(runId, message);
    log[level]({ runId }, message);
  };

  async function harvestSet(set: string, setIndex: number): Promise<SetOutcome> {
    const scope = backfill ? backfillScope(backfill.from, backfill.until) : DAILY;
    let state: HarvestState = (await store.loadState(scope, set, settings.metadataPrefix)) ?? {
      scope,
      setSpec: set,
      metadataPrefix: settings.metadataPrefix,
      nextFrom: backfill ? backfill.from : addDays(today, -settings.initialDays),
      listFrom: null,
      listUntil: null,
      listStarted: null,
      token: null,
      tokenExpiresAt: null,
      pages: 0,
      lastSuccessAt: null,
    };
    const unitsDone = () =>
      setIndex * chunksPerSet +
      (backfill ? Math.floor((daysBetween(backfill.from, state.nextFrom!) - 1) / BACKFILL_CHUNK_DAYS) : 0);

    for (;;) {
      if (state.token && state.tokenExpiresAt && now() >= state.tokenExpiresAt) {
        log.info(
          { set, token: state.token, listFrom: state.listFrom },
          'resumption token expired; restarting the list',
        );
        state = { ...state, token: null, listStarted: null, pages: 0 };
        await store.saveState(state, now());
      }
      if (!state.token) {
        // a new list, or the same one again from its start after an expired or refused token
        const listFrom = state.listFrom ?? state.nextFrom!;
        const listUntil = backfill
          ? minDay(addDays(listFrom, BACKFILL_CHUNK_DAYS - 1), backfill.until)
          : null;
        state = { ...state, listFrom, listUntil, listStarted: null, pages: 0 };
      }
      const restartUrl = listRecordsUrl(settings.oaiUrl, {
        metadataPrefix: settings.metadataPrefix,
        set,
        from: state.listFrom!,
        until: state.listUntil,
      });
      let url = state.token ? resumeUrl(settings.oaiUrl, state.token) : restartUrl;
      let restarted = false;
      const label = `${set} ${state.listFrom}${state.listUntil ? `..${state.listUntil}` : '..'}`;

      for (;;) {
        if (request.signal?.aborted) return 'stopped';
        const where = `set ${set}, page ${state.pages + 1} of the list from ${state.listFrom}`;
        let page: OaiPage;
        try {
          const answer = await deps.fetcher.get(url, { signal: request.signal });
          try {
            page = parseOaiPage(answer.body, settings.maxBytes);
          } catch (err) {
            if (!(err instanceof OaiFormatError)) throw err;
            await fail(`${where}: HTTP ${answer.status}, unreadable answer, nothing stored: ${err.message}`);
            return 'failed';
          }
        } catch (err) {
          if (request.signal?.aborted) return 'stopped';
          if (err instanceof ArxivForbiddenError) {
            await fail(
              `${where}: arXiv answered 403 Forbidden. The harvest is stopped until someone checks why (User-Agent, contact address, request rate) and runs \`paperboy harvest\` by hand.`,
            );
            log.fatal({ runId, alert: 'arxiv-forbidden' }, 'ALERT: arXiv refuses this instance (403)');
            return 'forbidden';
          }
          if (!(err instanceof FetchError)) throw err;
          await fail(`${where}: ${err.message}`);
          return 'failed';
        }

        let removeState = false;
        let token = null;
        const items: ArxivItem[] = [];
        const deletions: { id: string; datestamp: string | null }[] = [];
        const counts = { records: 0, filtered: 0, rejected: 0 };
        if (page.kind === 'error') {
          const codes = page.errors.map((e) => e.code);
          if (codes.includes('badResumptionToken') && state.token && !restarted) {
            log.warn(
              { set, token: state.token },
              'arXiv refused the resumption token; restarting the list from its first day',
            );
            restarted = true;
            state = { ...state, token: null, listStarted: null, pages: 0 };
            url = restartUrl;
            continue;
          }
          if (!codes.every((c) => c === 'noRecordsMatch')) {
            await fail(
              `${where}: OAI-PMH error ${page.errors.map((e) => `${e.code} (${e.message})`).join('; ')}`,
            );
            return 'failed';
          }
          // noRecordsMatch: an empty day, the list is complete (README rule 10)
        } else {
          token = page.token;
          counts.records = page.records.length;
          for (const record of page.records) {
            if (record.status === 'deleted')
              deletions.push({ id: record.header.id!, datestamp: record.header.datestamp });
            else if (record.status === 'rejected') {
              counts.rejected++;
              log.warn(
                { set, identifier: record.header.identifier, reason: record.reason },
                'record rejected',
              );
            } else if (!keepsCategories(record.paper.categories, settings.categories)) counts.filtered++;
            else items.push({ record: record.paper, fingerprint: paperFingerprint(record.paper) });
          }
        }
        const responseDay = page.responseDate ? page.responseDate.slice(0, 10) : today;
        const listStarted = state.listStarted ?? responseDay;
        if (token) {
          state = {
            ...state,
            listStarted,
            token: token.value,
            tokenExpiresAt: token.expiresAt ?? nextMidnightUtc(clock.now()),
            pages: state.pages + 1,
          };
        } else if (backfill) {
          const nextFrom = addDays(state.listUntil!, 1);
          removeState = nextFrom > backfill.until;
          state = {
            ...state,
            nextFrom,
            listFrom: null,
            listUntil: null,
            listStarted: null,
            token: null,
            tokenExpiresAt: null,
            pages: 0,
            lastSuccessAt: now(),
          };
        } else {
          // rule 6: the next incremental list starts on the day this one started (never before this one's own from)
          const nextFrom = maxDay(state.listFrom!, listStarted);
          state = {
            ...state,
            nextFrom,
            listFrom: null,
            listUntil: null,
            listStarted: null,
            token: null,
            tokenExpiresAt: null,
            pages: 0,
            lastSuccessAt: now(),
          };
        }
        const written = await store.commitPage({
          runId,
          items,
          deletions,
          counts,
          state,
          removeState,
          now: now(),
        });
        for (const key of Object.keys(written) as (keyof PageCounts)[]) totals[key] += written[key];
        totals.pages++;
        progress?.update(unitsDone(), { ...totals }, label);
        if (token) {
          url = resumeUrl(settings.oaiUrl, token.value);
          continue;
        }
        break;
      }
      if (!backfill || removeStateDone(state, backfill.until)) return 'ok';
    }
  }

  try {
    for (const [index, set] of settings.sets.entries()) {
      const outcome = await harvestSet(set, index);
      if (outcome === 'failed') status = 'failed';
      if (outcome === 'forbidden' || outcome === 'stopped') {
        status = outcome;
        break;
      }
      progress?.update((index + 1) * chunksPerSet, { ...totals }, set);
    }
  } catch (err) {
    status = 'failed';
    await fail(`harvest failed: ${(err as Error).message}`);
    throw err;
  } finally {
    progress?.stop();
    await store.finishRun(runId, status, now(), lastError);
    log.info({ runId, status, ...totals, errors }, 'harvest finished');
  }
  return { runId, status, ...totals, errors, error: lastError };
}

/** A back-fill is done with a set once its next list would start after the range. */
function removeStateDone(state: HarvestState, until: string): boolean {
  return state.nextFrom! > until;
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}
