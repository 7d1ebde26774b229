import { Command } from 'commander';
import { createAppDeps } from './app/deps.ts';
import { startServer } from './app/server.ts';
import { runAdminCreate } from './cli/admin-command.ts';
import { runDigestSend } from './cli/digest-command.ts';
import { HARVEST_EXIT, runHarvestCommand } from './cli/harvest-command.ts';
import { runImportCommand, UsageError } from './cli/import-command.ts';
import { runReindexCommand } from './cli/reindex-command.ts';
import { runBackup, runMigrateStore } from './cli/store-commands.ts';
import { forkWebProcesses, isForkedWebProcess } from './cli/web-processes.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { DatabaseUrlError, openAnyStore, openStore, type Store } from './db/connect.ts';
import { TargetNotEmptyError } from './db/copy-store.ts';
import { DatabaseUnreachableError, migrateToLatest } from './db/migrate.ts';
import { createDigestJob } from './digests/scheduler.ts';
import { type ArxivServices, createArxivServices, harvestStoreOf } from './harvest/arxiv-services.ts';
import { HarvestBusyError } from './harvest/harvest.store.ts';
import { createHarvestJob } from './harvest/harvest-job.ts';
import { systemClock } from './jobs/clock.ts';
import { type CronJob, cronForDailyTimes, startPgBossJobs } from './jobs/pg-boss-runner.ts';
import { type Scheduler, startScheduler } from './jobs/scheduler.ts';
import { createKeywordsJob, runKeywords } from './keywords/keywords-job.ts';
import { createLogger, type Logger } from './log.ts';
import { createForYouJob, runForYou } from './recommendations/for-you-job.ts';
import { createCompactionJob } from './search/compaction-job.ts';
import { startEmbeddingJob } from './search/embed-papers.ts';
import { EmbeddingError } from './search/embeddings/embedder.ts';
import { createSummariesJob, runSummaries, summaryEndpoint } from './summaries/summaries-job.ts';
import { VERSION } from './web/site.ts';

/** Opens the configured store and brings it to the latest schema. */
async function openMigrated(config: Config, log: Logger): Promise<Store> {
  const store = openAnyStore(config.DATABASE_URL);
  const applied = await migrateToLatest(store);
  if (applied.length > 0) log.info({ applied, database: store.location }, 'database migrated');
  return store;
}

function setup(): { config: Config; log: Logger } {
  const config = loadConfig();
  return { config, log: createLogger(config) };
}

const program = new Command('paperboy')
  .description('Paperboy: a self-hosted Daily Papers site')
  .version(VERSION)
  .showHelpAfterError();

program
  .command('serve')
  .description('start the web site and API, and the scheduled jobs')
  .option('--port <port>', 'port to listen on (default: PORT or 8080)')
  .option('--role <role>', 'all (default): site and jobs; web: the site only; worker: the jobs only', 'all')
  .action(async (opts: { port?: string; role: string }) => {
    if (opts.port) process.env.PORT = opts.port;
    if (!['all', 'web', 'worker'].includes(opts.role))
      throw new UsageError('--role must be all, web or worker');
    const { config, log } = setup();
    // WEB_PROCESSES > 1: this process runs the jobs and forks the web processes, which serve (web-processes.ts)
    const forked = isForkedWebProcess();
    const role = forked ? 'web' : opts.role;
    const forkWeb = !forked && role !== 'worker' && config.WEB_PROCESSES > 1;
    const web = role !== 'worker' && !forkWeb;
    const worker = role !== 'web';
    const store = await openMigrated(config, log);
    // arXiv work writes through its own connection on SQLite: the import writer's pragmas stay off the one
    // pages read from; PostgreSQL's pool serves both
    const wantsArxiv = config.HARVEST_ENABLED || config.ARXIV_LOOKUPS_ENABLED;
    const arxivStore = !wantsArxiv
      ? null
      : store.dialect === 'sqlite' && store.location !== ':memory:'
        ? openStore(config.DATABASE_URL)
        : store;
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
    const jobs: CronJob[] = [];
    if (worker && config.HARVEST_ENABLED && arxiv) {
      const harvest = createHarvestJob(arxiv, config.HARVEST_SCHEDULE, log);
      jobs.push(...cronForDailyTimes(config.HARVEST_SCHEDULE).map((cron) => ({ job: harvest, cron })));
      log.info(
        { sets: config.HARVEST_SETS, at: config.HARVEST_SCHEDULE.map((t) => `${t} UTC`) },
        'scheduled arXiv harvest on',
      );
    }
    if (store.dialect === 'postgres' && config.EMBEDDINGS_PROVIDER !== 'none' && !forked)
      log.warn(
        'semantic search runs on SQLite only for now (docs/search.md): searching by words on PostgreSQL',
      );
    // with an embedding model, papers without vectors (new or edited) get them in the background
    const embedder = deps.search.embedder;
    const stopEmbedding =
      worker && embedder && store.dialect === 'sqlite'
        ? startEmbeddingJob(store, embedder, log, 10 * 60 * 1000, config.EMBEDDINGS_BATCH_SIZE)
        : () => {};
    if (worker && config.DIGESTS_ENABLED) jobs.push({ job: createDigestJob(deps), cron: '* * * * *' });
    const summaries = worker ? createSummariesJob(store, config, log) : null;
    if (summaries) jobs.push({ job: summaries, cron: '*/10 * * * *' });
    if (worker && config.KEYWORDS_ENABLED)
      jobs.push({ job: createKeywordsJob(store, log), cron: '*/10 * * * *' });
    // SQLite's full-text indexes gather segments with every write: merged when there are too many
    if (worker && store.dialect === 'sqlite')
      jobs.push({ job: createCompactionJob(store, log), cron: '17 * * * *' });
    if (worker && config.FOR_YOU_ENABLED) {
      const forYou = createForYouJob(store, config, log);
      jobs.push(...cronForDailyTimes(config.FOR_YOU_SCHEDULE).map((cron) => ({ job: forYou, cron })));
    }
    // one machine: the in-process scheduler; PostgreSQL (several machines): pg-boss, so each tick runs once
    let stopJobs: () => Promise<void> = async () => {};
    if (jobs.length > 0 && store.dialect === 'postgres') {
      stopJobs = (await startPgBossJobs(config.DATABASE_URL, jobs, log)).stop;
    } else if (jobs.length > 0) {
      const scheduler: Scheduler = startScheduler([...new Set(jobs.map((j) => j.job))], {
        clock: systemClock,
        log,
      });
      stopJobs = () => scheduler.stop();
    }
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
        .then(() => {
          stopEmbedding();
          return stopJobs();
        })
        .then(async () => {
          if (arxivStore && arxivStore !== store) await arxivStore.close();
          await store.close();
        })
        .then(() => process.exit(exitCode));
    };
    process.on('SIGINT', () => stop(0));
    process.on('SIGTERM', () => stop(0));
    void webProcesses?.failed.then(() => stop(1));
  });

program
  .command('import')
  .description(
    'import arXiv metadata (Kaggle snapshot JSON lines) or Hugging Face daily papers, plain or gzip',
  )
  .argument('<files...>', 'files to import')
  .option('--format <format>', 'auto (default), kaggle or hf-daily')
  .option('--batch-size <n>', 'records per transaction (default: IMPORT_BATCH_SIZE or 1000)')
  .option('--report <dir>', 'folder for the report of rejected records (default: DATA_DIR/import-reports)')
  .action(async (files: string[], opts: { format?: string; batchSize?: string; report?: string }) => {
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    try {
      const summary = await runImportCommand(store, config, log, files, opts);
      process.exitCode = summary.interrupted ? 130 : 0;
      // with an embedding model, the new papers get their vectors now (the server also catches up later)
      if (
        !summary.interrupted &&
        store.dialect === 'sqlite' &&
        config.EMBEDDINGS_PROVIDER !== 'none' &&
        summary.inserted + summary.updated > 0
      ) {
        try {
          await runReindexCommand(store, config, log, { embeddings: true });
        } catch (err) {
          if (!(err instanceof EmbeddingError)) throw err;
          process.stderr.write(
            `paperboy: papers imported, but not embedded: ${err.message}\nRun \`paperboy reindex --embeddings\` when the model is reachable.\n`,
          );
        }
      }
    } finally {
      await store.close();
    }
  });

program
  .command('reindex')
  .description('rebuild and compact the full-text index; --embeddings: compute missing paper vectors')
  .option('--embeddings', 'give every paper without a vector of the configured model one (progress bar)')
  .option('--all', 'with --embeddings: every paper again')
  .action(async (opts: { embeddings?: boolean; all?: boolean }) => {
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    try {
      await runReindexCommand(store, config, log, opts);
    } finally {
      await store.close();
    }
  });

const admin = program.command('admin').description('manage accounts from the shell');
admin
  .command('create')
  .description('create an admin account (password from PAPERBOY_ADMIN_PASSWORD or the first line of stdin)')
  .argument('<username>')
  .argument('<email>')
  .action(async (username: string, email: string) => {
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    try {
      await runAdminCreate(store, config, username, email);
    } finally {
      await store.close();
    }
  });

const digest = program.command('digest').description('email digests');
digest
  .command('send')
  .description("send one period's digests now (each subscriber gets one per period, whatever happens)")
  .requiredOption(
    '--period <period>',
    'daily (yesterday), weekly (last week), daily:YYYY-MM-DD or weekly:YYYY-Www',
  )
  .option('--date <day>', 'with --period daily: the day, YYYY-MM-DD')
  .option('--week <week>', 'with --period weekly: the ISO week, YYYY-Www')
  .option('--dry-run', 'compose and count, send and write nothing')
  .action(async (opts: { period: string; date?: string; week?: string; dryRun?: boolean }) => {
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    const deps = await createAppDeps(store, config, log);
    try {
      await runDigestSend(deps, opts);
    } finally {
      deps.mailer.close();
      await store.close();
    }
  });

program
  .command('harvest')
  .description(
    'harvest new arXiv papers now (OAI-PMH, the sets of HARVEST_SETS); with --from/--until, back-fill a range of days',
  )
  .option('--from <day>', 'back-fill from this day (YYYY-MM-DD, UTC)')
  .option('--until <day>', 'back-fill up to this day, included (default: today)')
  .option('--set <spec...>', 'harvest these OAI sets instead of HARVEST_SETS (e.g. cs:cs:CL)')
  .action(async (opts: { from?: string; until?: string; set?: string[] }) => {
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    try {
      const summary = await runHarvestCommand(store, config, log, opts);
      process.exitCode = HARVEST_EXIT[summary.status];
    } catch (err) {
      if (!(err instanceof HarvestBusyError)) throw err;
      process.stderr.write(`paperboy: ${err.message}; try again when it has finished\n`);
      process.exitCode = 1;
    } finally {
      await store.close();
    }
  });

program
  .command('migrate-store')
  .description('copy this instance to another store (e.g. SQLite → PostgreSQL) and verify every table')
  .requiredOption('--from <url>', 'the store to copy from, e.g. sqlite:./data/paperboy.db')
  .requiredOption('--to <url>', 'the empty store to copy into, e.g. postgres://user@host/paperboy')
  .action(async (opts: { from: string; to: string }) => {
    await runMigrateStore(opts.from, opts.to);
  });

program
  .command('backup')
  .description('write a consistent backup of the store (SQLite file, or pg_dump custom format)')
  .option('--out <file>', 'where to write it (default: DATA_DIR/backups/paperboy-<time>.db|.dump)')
  .action(async (opts: { out?: string }) => {
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    try {
      await runBackup(store, config, opts.out);
    } finally {
      await store.close();
    }
  });

program
  .command('keywords')
  .description('extract the keyphrases of every paper that has none yet (or changed since); resumable')
  .option('--limit <n>', 'at most this many papers')
  .action(async (opts: { limit?: string }) => {
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    try {
      const limit = opts.limit ? Number(opts.limit) : undefined;
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
        throw new UsageError('--limit must be a whole number above 0');
      const summary = await runKeywords(store, {
        limit,
        onProgress: (done) => {
          if (done % 10_000 === 0) process.stderr.write(`${done} papers…\n`);
        },
      });
      process.stdout.write(`Keyphrases for ${summary.papers} papers in ${summary.seconds.toFixed(1)} s.\n`);
    } finally {
      await store.close();
    }
  });

program
  .command('summarize')
  .description('write one-line summaries of featured papers with the model of SUMMARY_API_URL')
  .option('--limit <n>', 'at most this many papers (default SUMMARY_MAX_PER_RUN)')
  .action(async (opts: { limit?: string }) => {
    const { config, log } = setup();
    const endpoint = summaryEndpoint(config);
    if (!endpoint) throw new UsageError('set SUMMARY_API_URL and SUMMARY_MODEL to write summaries');
    const limit = opts.limit ? Number(opts.limit) : config.SUMMARY_MAX_PER_RUN;
    if (!(Number.isInteger(limit) && limit > 0))
      throw new UsageError('--limit must be a whole number above 0');
    const store = await openMigrated(config, log);
    try {
      const result = await runSummaries(store, endpoint, log, limit);
      process.stdout.write(`Summaries written: ${result.written}, failed: ${result.failed}.\n`);
      process.exitCode = result.failed > 0 && result.written === 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  });

program
  .command('for-you')
  .description('train every member\'s "for you" model and store their recommendations now')
  .option('--all', 'retrain members whose upvotes and collections did not change too')
  .action(async (opts: { all?: boolean }) => {
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    try {
      const summary = await runForYou(store, config, { force: opts.all === true });
      process.stdout.write(
        `Recommendations for ${summary.members} members (${summary.skipped} unchanged) in ${summary.seconds.toFixed(1)} s.\n`,
      );
    } finally {
      await store.close();
    }
  });

program
  .command('migrate')
  .description('bring the database to the latest schema (also done on every start)')
  .action(async () => {
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    process.stdout.write(`Database ${store.location} is up to date.\n`);
    await store.close();
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof DatabaseUnreachableError) {
    process.stderr.write(`paperboy: ${err.message}\n`);
    process.exit(1);
  }
  if (
    err instanceof ConfigError ||
    err instanceof UsageError ||
    err instanceof DatabaseUrlError ||
    err instanceof TargetNotEmptyError
  ) {
    process.stderr.write(`paperboy: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof EmbeddingError) {
    process.stderr.write(`paperboy: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`paperboy: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
