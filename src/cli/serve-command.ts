import { createAppDeps } from '../app/deps.ts';
import { scheduledJobs, startJobs } from '../app/jobs.ts';
import { startServer } from '../app/server.ts';
import { openStore, type Store } from '../db/connect.ts';
import { byEngine } from '../db/engine.ts';
import { type ArxivServices, createArxivServices, harvestStoreOf } from '../harvest/arxiv-services.ts';
import { openMigrated, setup, UsageError } from './command.ts';
import { forkWebProcesses, isForkedWebProcess } from './web-processes.ts';

export interface ServeOptions {
  port?: string;
  role: string;
}

/**
 * `paperboy serve`: the site and API, and the scheduled jobs (app/jobs.ts). `--role web` serves only,
 * `--role worker` works the jobs only; WEB_PROCESSES > 1 makes this process run the jobs and fork the web
 * processes, which serve (web-processes.ts). SIGINT/SIGTERM drain requests, stop the jobs, close the store.
 */
export async function runServe(opts: ServeOptions): Promise<void> {
  if (opts.port) process.env.PORT = opts.port;
  if (!['all', 'web', 'worker'].includes(opts.role))
    throw new UsageError('--role must be all, web or worker');
  const { config, log } = setup();
  const forked = isForkedWebProcess();
  const role = forked ? 'web' : opts.role;
  const forkWeb = !forked && role !== 'worker' && config.WEB_PROCESSES > 1;
  const web = role !== 'worker' && !forkWeb;
  const worker = role !== 'web';
  const store = await openMigrated(config, log, !forked);
  // arXiv work writes through its own connection on SQLite: the import writer's pragmas stay off the one
  // pages read from; PostgreSQL's pool serves both
  const wantsArxiv = config.HARVEST_ENABLED || config.ARXIV_LOOKUPS_ENABLED;
  const arxivStore = wantsArxiv
    ? byEngine<Store>(store, {
        sqlite: (s) => (s.location !== ':memory:' ? openStore(config.DATABASE_URL) : s),
        postgres: (s) => s,
      })
    : null;
  const arxiv: ArxivServices | null = arxivStore
    ? createArxivServices(config, log, harvestStoreOf(arxivStore))
    : null;
  const deps = await createAppDeps(store, config, log, {
    arxiv: config.ARXIV_LOOKUPS_ENABLED ? (arxiv ?? undefined) : undefined,
  });
  const server = web ? await startServer(deps) : null;
  const webProcesses = forkWeb ? forkWebProcesses(config.WEB_PROCESSES, log) : null;
  if (webProcesses)
    log.info({ processes: config.WEB_PROCESSES, port: config.PORT }, 'started the web processes');
  const jobs = worker ? scheduledJobs(deps, arxiv) : [];
  if (jobs.some((j) => j.name === 'harvest'))
    log.info(
      { sets: config.HARVEST_SETS, at: config.HARVEST_SCHEDULE.map((t) => `${t} UTC`) },
      'scheduled arXiv harvest on',
    );
  const stopJobs = await startJobs(deps, jobs);
  if (!web && !forkWeb) log.info({ role: 'worker' }, 'working the scheduled jobs (no web server)');
  let stopping = false;
  const stop = (exitCode: number) => {
    // a terminal's Ctrl-C reaches the web processes and the primary, which then asks them again: once is enough
    if (stopping) return;
    stopping = true;
    if (!forked) log.info('shutting down');
    // requests in flight finish before the store closes (at most 10 s); then jobs stop, then the store
    const served = server ? server.drain(10_000) : Promise.resolve();
    void served
      .then(() => webProcesses?.stop(12_000))
      .then(() => stopJobs())
      .then(async () => {
        if (arxivStore && arxivStore !== store) await arxivStore.close();
        await store.close();
      })
      .then(() => process.exit(exitCode));
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  void webProcesses?.failed.then(() => stop(1));
}
