import { hostname } from 'node:os';
import type { Kysely, Selectable } from 'kysely';
import type { Database, HarvestRunsTable, HarvestStateTable } from '../db/schema.ts';
import type { BatchCounts } from '../ingest/import-rules.ts';
import type { ArxivItem } from '../ingest/parse-file.ts';

/**
 * Where the harvest stands, in the database. On SQLite the runner's hot path (committing a page) is synchronous
 * better-sqlite3, like the import writer it wraps; its PostgreSQL twin is harvest.postgres.ts. The admin
 * page reads through Kysely on both.
 */
export interface HarvestState {
  scope: string;
  setSpec: string;
  metadataPrefix: string;
  nextFrom: string | null;
  listFrom: string | null;
  listUntil: string | null;
  listStarted: string | null;
  token: string | null;
  tokenExpiresAt: string | null;
  pages: number;
  lastSuccessAt: string | null;
}

export interface PageCounts {
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  filtered: number;
  rejected: number;
}

export type RunStatus = 'running' | 'ok' | 'failed' | 'forbidden' | 'stopped' | 'interrupted';
export type HarvestRun = Selectable<HarvestRunsTable>;

export class HarvestBusyError extends Error {}

/** A run whose process has not written for this long is taken as dead even when its pid cannot be checked. */
const STALE_HEARTBEAT_MS = 30 * 60_000;

export interface PageToCommit {
  runId: number;
  items: ArxivItem[];
  deletions: { id: string; datestamp: string | null }[];
  counts: Omit<PageCounts, 'inserted' | 'updated' | 'unchanged' | 'deleted'>;
  state: HarvestState;
  removeState: boolean;
  now: string;
}

export interface RunToBegin {
  trigger: string;
  sets: string[];
  fromDay: string | null;
  untilDay: string | null;
  now: string;
}

/** What the harvest runner and the arXiv lookups need of the database, on either engine. */
export interface HarvestStore {
  /** Papers from a lookup (the arXiv API), through the one writer that stores papers. */
  writePapers(items: ArxivItem[]): Promise<BatchCounts>;
  loadState(scope: string, setSpec: string, metadataPrefix: string): Promise<HarvestState | null>;
  /** Saves a state change that comes with no page (a list restarted after an expired token). */
  saveState(state: HarvestState, now: string): Promise<void>;
  /**
   * One page, all or nothing: its papers (through the import writer, so the search index stays current), the
   * deletions it announced, the set's new state (`removeState` deletes the row: a finished back-fill) and the
   * run's counters. A crash before the commit leaves the previous page's state, and the same token is sent again.
   */
  commitPage(page: PageToCommit): Promise<PageCounts>;
  /**
   * Starts a run, unless another one is alive. A 'running' row whose process is gone (kill -9, power cut) is
   * marked interrupted: its committed pages stay, and this run resumes from its state.
   */
  beginRun(run: RunToBegin): Promise<number>;
  noteError(runId: number, message: string): Promise<void>;
  finishRun(runId: number, status: RunStatus, now: string, error?: string | null): Promise<void>;
  /** When a run last ended well, for the scheduler's catch-up after downtime. */
  lastSuccessfulRunAt(): Promise<string | null>;
  /** The last run that ended, for the scheduler's "stop after a 403" rule. */
  lastFinishedRun(): Promise<{ status: string; finishedAt: string } | null>;
}

/**
 * The 'running' rows whose process is gone, to be marked interrupted before a new run starts; a HarvestBusyError
 * if one is still alive (same host: its pid answers; another host: it wrote in the last 30 minutes).
 */
export function deadRuns(
  running: { id: number; pid: number; host: string; heartbeat_at: string }[],
  now: string,
): number[] {
  const host = hostname();
  for (const other of running) {
    const alive =
      other.host === host
        ? other.pid !== process.pid && processAlive(other.pid)
        : Date.parse(now) - Date.parse(other.heartbeat_at) < STALE_HEARTBEAT_MS;
    if (alive)
      throw new HarvestBusyError(`a harvest is already running (run ${other.id}, process ${other.pid})`);
  }
  return running.map((r) => r.id);
}

/** What a run that died leaves in its row. */
export const INTERRUPTED_ERROR = 'the process stopped mid-run';

export type StateRow = Selectable<HarvestStateTable>;

export function stateFromRow(row: StateRow): HarvestState {
  return {
    scope: row.scope,
    setSpec: row.set_spec,
    metadataPrefix: row.metadata_prefix,
    nextFrom: row.next_from,
    listFrom: row.list_from,
    listUntil: row.list_until,
    listStarted: row.list_started,
    token: row.token,
    tokenExpiresAt: row.token_expires_at,
    pages: row.pages,
    lastSuccessAt: row.last_success_at,
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The latest runs, newest first, for the admin page. */
export async function listHarvestRuns(db: Kysely<Database>, limit: number): Promise<HarvestRun[]> {
  return await db.selectFrom('harvest_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/** Every set's state, for the admin page. */
export async function listHarvestStates(db: Kysely<Database>): Promise<HarvestState[]> {
  const rows = await db
    .selectFrom('harvest_state')
    .selectAll()
    .orderBy('scope')
    .orderBy('set_spec')
    .execute();
  return rows.map(stateFromRow);
}

/** When a run last brought new papers (finished or not: pages are committed as they come). */
export async function lastNewPapersAt(db: Kysely<Database>): Promise<string | null> {
  const row = await db
    .selectFrom('harvest_runs')
    .select((eb) => eb.fn.max('heartbeat_at').as('at'))
    .where('inserted', '>', 0)
    .executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}

/** When the first run started: no warning about missing papers before the harvest ever ran. */
export async function firstRunAt(db: Kysely<Database>): Promise<string | null> {
  const row = await db
    .selectFrom('harvest_runs')
    .select((eb) => eb.fn.min('started_at').as('at'))
    .executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}
