import { hostname } from 'node:os';
import { type Kysely, sql, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Database } from '../db/schema.ts';
import { createPostgresImportWriter } from '../ingest/import.postgres.ts';
import {
  deadRuns,
  type HarvestState,
  type HarvestStore,
  INTERRUPTED_ERROR,
  type PageCounts,
  stateFromRow,
} from './harvest.store.ts';

/**
 * The harvest's statements on PostgreSQL, the twin of createHarvestStore (SQLite): the same rows, and a page
 * committed with its papers, deletions, state and counters in one transaction. Runs are started under a
 * transaction-scoped advisory lock, so two workers that start at once cannot both see "nobody is running".
 */
const BEGIN_RUN_LOCK = 0x70617065; // 'pape': any constant of Paperboy's own

export function createPostgresHarvestStore(store: { db: Kysely<Database>; pool: pg.Pool }): HarvestStore {
  const { db } = store;
  const writer = createPostgresImportWriter(store);

  async function saveState(trx: Kysely<Database> | Transaction<Database>, state: HarvestState, now: string) {
    const row = {
      scope: state.scope,
      set_spec: state.setSpec,
      metadata_prefix: state.metadataPrefix,
      next_from: state.nextFrom,
      list_from: state.listFrom,
      list_until: state.listUntil,
      list_started: state.listStarted,
      token: state.token,
      token_expires_at: state.tokenExpiresAt,
      pages: state.pages,
      last_success_at: state.lastSuccessAt,
      updated_at: now,
    };
    const { scope, set_spec, metadata_prefix, ...changes } = row;
    await trx
      .insertInto('harvest_state')
      .values(row)
      .onConflict((oc) => oc.columns(['scope', 'set_spec', 'metadata_prefix']).doUpdateSet(changes))
      .execute();
  }

  async function markRun(
    trx: Kysely<Database> | Transaction<Database>,
    id: number,
    status: string,
    now: string,
    error: string | null,
  ) {
    await trx
      .updateTable('harvest_runs')
      .set({ status, finished_at: now, error: sql`COALESCE(${error}, error)` })
      .where('id', '=', id)
      .execute();
  }

  return {
    writePapers: (items) => writer.writeArxivBatch(items),

    async loadState(scope, setSpec, metadataPrefix) {
      const row = await db
        .selectFrom('harvest_state')
        .selectAll()
        .where('scope', '=', scope)
        .where('set_spec', '=', setSpec)
        .where('metadata_prefix', '=', metadataPrefix)
        .executeTakeFirst();
      return row ? stateFromRow(row) : null;
    },

    saveState: (state, now) => saveState(db, state, now),

    // the writer's transaction: its papers go in through COPY on the transaction's connection
    commitPage: (page) =>
      writer.transaction(async (trx) => {
        const written = await writer.writeArxivBatchIn(trx, page.items);
        for (const d of page.deletions) {
          await trx
            .insertInto('arxiv_deletions')
            .values({ paper_id: d.id, datestamp: d.datestamp, first_seen_at: page.now })
            .onConflict((oc) => oc.column('paper_id').doUpdateSet({ datestamp: d.datestamp }))
            .execute();
        }
        const { scope, setSpec, metadataPrefix } = page.state;
        if (page.removeState) {
          await trx
            .deleteFrom('harvest_state')
            .where('scope', '=', scope)
            .where('set_spec', '=', setSpec)
            .where('metadata_prefix', '=', metadataPrefix)
            .execute();
        } else await saveState(trx, page.state, page.now);
        const counts: PageCounts = { ...page.counts, ...written, deleted: page.deletions.length };
        await trx
          .updateTable('harvest_runs')
          .set((eb) => ({
            pages: eb('pages', '+', 1),
            records: eb('records', '+', counts.records),
            inserted: eb('inserted', '+', counts.inserted),
            updated: eb('updated', '+', counts.updated),
            unchanged: eb('unchanged', '+', counts.unchanged),
            deleted: eb('deleted', '+', counts.deleted),
            filtered: eb('filtered', '+', counts.filtered),
            rejected: eb('rejected', '+', counts.rejected),
            heartbeat_at: page.now,
          }))
          .where('id', '=', page.runId)
          .execute();
        return counts;
      }),

    beginRun: (run) =>
      db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${BEGIN_RUN_LOCK})`.execute(trx);
        const running = await trx
          .selectFrom('harvest_runs')
          .select(['id', 'pid', 'host', 'heartbeat_at'])
          .where('status', '=', 'running')
          .execute();
        for (const id of deadRuns(running, run.now)) {
          await markRun(trx, id, 'interrupted', run.now, INTERRUPTED_ERROR);
        }
        const inserted = await trx
          .insertInto('harvest_runs')
          .values({
            trigger: run.trigger,
            status: 'running',
            started_at: run.now,
            heartbeat_at: run.now,
            pid: process.pid,
            host: hostname(),
            sets: run.sets.join(' '),
            from_day: run.fromDay,
            until_day: run.untilDay,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return Number(inserted.id);
      }),

    async noteError(runId, message) {
      await db
        .updateTable('harvest_runs')
        .set((eb) => ({ errors: eb('errors', '+', 1), error: message.slice(0, 1000) }))
        .where('id', '=', runId)
        .execute();
    },

    finishRun: (runId, status, now, error = null) =>
      markRun(db, runId, status, now, error?.slice(0, 1000) ?? null),

    async lastSuccessfulRunAt() {
      const row = await db
        .selectFrom('harvest_runs')
        .select((eb) => eb.fn.max('finished_at').as('at'))
        .where('status', '=', 'ok')
        .executeTakeFirst();
      return (row?.at as string | null | undefined) ?? null;
    },

    async lastFinishedRun() {
      const row = await db
        .selectFrom('harvest_runs')
        .select(['status', 'finished_at'])
        .where('status', '<>', 'running')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? { status: row.status, finishedAt: row.finished_at ?? '' } : null;
    },
  };
}
