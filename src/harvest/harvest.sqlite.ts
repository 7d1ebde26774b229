import { hostname } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { createSqliteImportWriter } from '../ingest/import.sqlite.ts';
import {
  deadRuns,
  type HarvestState,
  type HarvestStore,
  INTERRUPTED_ERROR,
  type PageCounts,
  type PageToCommit,
  type RunToBegin,
  type StateRow,
  stateFromRow,
} from './harvest.store.ts';

/** The harvest's statements over one SQLite connection (a dedicated one in `serve`): raw better-sqlite3, synchronous like the import writer whose page commits it wraps, for speed. */
export function createHarvestStore(sqlite: BetterSqlite3.Database): HarvestStore {
  const writer = createSqliteImportWriter(sqlite);
  const selectState = sqlite.prepare<[string, string, string], StateRow>(
    'SELECT * FROM harvest_state WHERE scope = ? AND set_spec = ? AND metadata_prefix = ?',
  );
  const upsertState = sqlite.prepare(
    `INSERT INTO harvest_state (scope, set_spec, metadata_prefix, next_from, list_from, list_until, list_started,
       token, token_expires_at, pages, last_success_at, updated_at)
     VALUES (@scope, @setSpec, @metadataPrefix, @nextFrom, @listFrom, @listUntil, @listStarted, @token,
       @tokenExpiresAt, @pages, @lastSuccessAt, @now)
     ON CONFLICT (scope, set_spec, metadata_prefix) DO UPDATE SET next_from = excluded.next_from,
       list_from = excluded.list_from, list_until = excluded.list_until, list_started = excluded.list_started,
       token = excluded.token, token_expires_at = excluded.token_expires_at, pages = excluded.pages,
       last_success_at = excluded.last_success_at, updated_at = excluded.updated_at`,
  );
  const deleteState = sqlite.prepare(
    'DELETE FROM harvest_state WHERE scope = ? AND set_spec = ? AND metadata_prefix = ?',
  );
  const recordDeletion = sqlite.prepare(
    `INSERT INTO arxiv_deletions (paper_id, datestamp, first_seen_at) VALUES (?, ?, ?)
     ON CONFLICT (paper_id) DO UPDATE SET datestamp = excluded.datestamp`,
  );
  const addToRun = sqlite.prepare(
    `UPDATE harvest_runs SET pages = pages + @pages, records = records + @records, inserted = inserted + @inserted,
       updated = updated + @updated, unchanged = unchanged + @unchanged, deleted = deleted + @deleted,
       filtered = filtered + @filtered, rejected = rejected + @rejected, heartbeat_at = @now
     WHERE id = @runId`,
  );
  const runningRuns = sqlite.prepare<[], { id: number; pid: number; host: string; heartbeat_at: string }>(
    "SELECT id, pid, host, heartbeat_at FROM harvest_runs WHERE status = 'running'",
  );
  const markRun = sqlite.prepare(
    'UPDATE harvest_runs SET status = @status, finished_at = @now, error = COALESCE(@error, error) WHERE id = @id',
  );
  const insertRun = sqlite.prepare(
    `INSERT INTO harvest_runs (trigger, status, started_at, heartbeat_at, pid, host, sets, from_day, until_day)
     VALUES (@trigger, 'running', @now, @now, @pid, @host, @sets, @fromDay, @untilDay)`,
  );
  const noteError = sqlite.prepare('UPDATE harvest_runs SET errors = errors + 1, error = ? WHERE id = ?');
  const lastOk = sqlite.prepare<[], string>("SELECT max(finished_at) FROM harvest_runs WHERE status = 'ok'");
  const lastFinished = sqlite.prepare<[], { status: string; finished_at: string }>(
    "SELECT status, finished_at FROM harvest_runs WHERE status <> 'running' ORDER BY id DESC LIMIT 1",
  );

  function saveState(state: HarvestState, now: string) {
    upsertState.run({ ...state, now });
  }

  const commitPage = sqlite.transaction((page: PageToCommit): PageCounts => {
    const written = writer.writeArxivBatch(page.items);
    for (const d of page.deletions) recordDeletion.run(d.id, d.datestamp, page.now);
    if (page.removeState) deleteState.run(page.state.scope, page.state.setSpec, page.state.metadataPrefix);
    else saveState(page.state, page.now);
    const counts: PageCounts = { ...page.counts, ...written, deleted: page.deletions.length };
    addToRun.run({ ...counts, pages: 1, runId: page.runId, now: page.now });
    return counts;
  }).immediate;

  const beginRun = sqlite.transaction((run: RunToBegin): number => {
    for (const id of deadRuns(runningRuns.all(), run.now)) {
      markRun.run({ id, status: 'interrupted', now: run.now, error: INTERRUPTED_ERROR });
    }
    const info = insertRun.run({ ...run, sets: run.sets.join(' '), pid: process.pid, host: hostname() });
    return Number(info.lastInsertRowid);
  }).immediate;

  return {
    writePapers: async (items) => writer.writeArxivBatch(items),
    async loadState(scope, setSpec, metadataPrefix) {
      const row = selectState.get(scope, setSpec, metadataPrefix);
      return row ? stateFromRow(row) : null;
    },
    saveState: async (state, now) => saveState(state, now),
    commitPage: async (page) => commitPage(page),
    beginRun: async (run) => beginRun(run),
    async noteError(runId, message) {
      noteError.run(message.slice(0, 1000), runId);
    },
    async finishRun(runId, status, now, error = null) {
      markRun.run({ id: runId, status, now, error: error?.slice(0, 1000) ?? null });
    },
    lastSuccessfulRunAt: async () => lastOk.pluck().get() ?? null,
    async lastFinishedRun() {
      const row = lastFinished.get();
      return row ? { status: row.status, finishedAt: row.finished_at } : null;
    },
  };
}
