import type { Hono, MiddlewareHandler } from 'hono';
import { nextDailyTime } from '../jobs/daily-times.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { Layout } from '../web/layout.tsx';
import { announcementsBetween, MISSED_ANNOUNCEMENTS_WARNING } from './announcements.ts';
import {
  firstRunAt,
  type HarvestRun,
  type HarvestState,
  lastNewPapersAt,
  listHarvestRuns,
  listHarvestStates,
} from './harvest.store.ts';

const RUNS_SHOWN = 50;

/**
 * `/admin/harvest`: every harvest run (started, finished, pages, records, new, updated, errors), where each
 * set stands, and warnings: arXiv refused us (403), or two announcement days brought no new paper.
 * `guard` decides who may see it (app.tsx lets admins in).
 * `now` is injectable for tests.
 */
export function registerHarvestAdmin(
  app: Hono<AppEnv>,
  deps: Pick<WebDeps, 'store' | 'config' | 'site' | 'log'>,
  guard: MiddlewareHandler<AppEnv>,
  now: () => number = Date.now,
): void {
  app.get('/admin/harvest', guard, async (c) => {
    const db = deps.store.db;
    const [runs, states, lastNew, first] = await Promise.all([
      listHarvestRuns(db, RUNS_SHOWN),
      listHarvestStates(db),
      lastNewPapersAt(db),
      firstRunAt(db),
    ]);
    const t = now();
    const missed = first ? announcementsBetween(Date.parse(lastNew ?? first), t) : 0;
    const lastEnded = runs.find((r) => r.status !== 'running');
    const { config } = deps;
    const next = config.HARVEST_ENABLED ? nextDailyTime(config.HARVEST_SCHEDULE, t) : null;
    // an admin page is never kept by the page cache (it would skip the guard) nor by a browser or proxy
    c.header('Cache-Control', 'no-store');
    return c.html(
      <Layout site={deps.site} meta={{ title: 'arXiv harvest', path: '/admin/harvest' }}>
        <h1>arXiv harvest</h1>
        <p class="muted small">
          Sets {config.HARVEST_SETS.join(', ')} ({config.HARVEST_METADATA_PREFIX})
          {config.HARVEST_CATEGORIES.length > 0 ? `, keeping ${config.HARVEST_CATEGORIES.join(', ')}` : ''}{' '}
          from <code>{config.ARXIV_OAI_URL}</code>.{' '}
          {next
            ? `Scheduled at ${config.HARVEST_SCHEDULE.join(', ')} UTC; next run ${new Date(next).toISOString().slice(0, 16).replace('T', ' ')} UTC.`
            : 'Scheduled harvest is off (HARVEST_ENABLED=false); run `paperboy harvest`.'}
        </p>
        {lastEnded?.status === 'forbidden' ? (
          <div class="alert" role="alert">
            <strong>arXiv answered 403 Forbidden</strong> on run {lastEnded.id} ({lastEnded.finished_at}). The
            scheduled harvest is paused. Check the contact address (ARXIV_CONTACT_EMAIL) and the request rate,
            then run <code>paperboy harvest</code> by hand.
          </div>
        ) : null}
        {missed >= MISSED_ANNOUNCEMENTS_WARNING ? (
          <div class="alert warn" role="alert">
            <strong>No new papers for {missed} arXiv announcement days</strong>{' '}
            {lastNew
              ? `(the last arrived ${lastNew.slice(0, 16).replace('T', ' ')} UTC)`
              : '(none since the first run)'}
            . Look at the errors below. arXiv holidays also cause this.
          </div>
        ) : null}
        <h2>Sets</h2>
        {states.length === 0 ? <p class="muted">No set harvested yet.</p> : <StateTable states={states} />}
        <h2>Runs</h2>
        {runs.length === 0 ? (
          <p class="empty">
            No harvest has run yet. Run <code>paperboy harvest</code>, or wait for the schedule.
          </p>
        ) : (
          <RunTable runs={runs} />
        )}
      </Layout>,
    );
  });
}

function StateTable(props: { states: HarvestState[] }) {
  return (
    <div class="table-scroll">
      <table class="data">
        <thead>
          <tr>
            <th>scope</th>
            <th>set</th>
            <th>format</th>
            <th>next from</th>
            <th>list in progress</th>
            <th>last success</th>
          </tr>
        </thead>
        <tbody>
          {props.states.map((s) => (
            <tr>
              <td>{s.scope}</td>
              <td>{s.setSpec}</td>
              <td>{s.metadataPrefix}</td>
              <td>{s.nextFrom ?? '—'}</td>
              <td>
                {s.token
                  ? `from ${s.listFrom}${s.listUntil ? ` to ${s.listUntil}` : ''}: ${s.pages} page(s) stored, token expires ${s.tokenExpiresAt ?? '?'}`
                  : '—'}
              </td>
              <td>{time(s.lastSuccessAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunTable(props: { runs: HarvestRun[] }) {
  const numbers = [
    'pages',
    'records',
    'inserted',
    'updated',
    'deleted',
    'filtered',
    'rejected',
    'errors',
  ] as const;
  return (
    <div class="table-scroll">
      <table class="data">
        <thead>
          <tr>
            <th>run</th>
            <th>trigger</th>
            <th>status</th>
            <th>started</th>
            <th>finished</th>
            {numbers.map((n) => (
              <th>{n === 'inserted' ? 'new' : n}</th>
            ))}
            <th>last error</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((r) => (
            <tr>
              <td class="num">{r.id}</td>
              <td>{r.trigger}</td>
              <td>{r.status}</td>
              <td>{time(r.started_at)}</td>
              <td>{time(r.finished_at)}</td>
              {numbers.map((n) => (
                <td class="num">{r[n]}</td>
              ))}
              <td class="small">{r.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function time(iso: string | null): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—';
}
