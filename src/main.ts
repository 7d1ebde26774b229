import { Command } from 'commander';
import { runAdminCreate } from './cli/admin-command.ts';
import { UsageError, withStore } from './cli/command.ts';
import { runDigestCommand } from './cli/digest-command.ts';
import { HARVEST_EXIT, runHarvestCommand } from './cli/harvest-command.ts';
import { runImport } from './cli/import-command.ts';
import {
  runForYouCommand,
  runKeywordsCommand,
  runSummarizeCommand,
  summarizeOptions,
} from './cli/job-commands.ts';
import { runNotifyCommand } from './cli/notify-command.ts';
import { runReindexCommand } from './cli/reindex-command.ts';
import { runServe } from './cli/serve-command.ts';
import { runBackup, runMigrate, runMigrateStore } from './cli/store-commands.ts';
import { runWebhooksDeliverCommand } from './cli/webhooks-command.ts';
import { ConfigError } from './config.ts';
import { DatabaseUrlError } from './db/connect.ts';
import { TargetNotEmptyError } from './db/copy-store.ts';
import { DatabaseUnreachableError } from './db/migrate.ts';
import { HarvestBusyError } from './harvest/harvest.store.ts';
import { EmbeddingError } from './search/embeddings/embedder.ts';
import { VERSION } from './web/site.ts';

/**
 * The command table: each command's name, help and options, and the function in src/cli/ that does it.
 * A new command goes here, its body in src/cli/<name>-command.ts (`withStore` opens and closes the store).
 */
const program = new Command('paperboy')
  .description('Paperboy: a self-hosted Daily Papers site')
  .version(VERSION)
  .showHelpAfterError();

program
  .command('serve')
  .description('start the web site and API, and the scheduled jobs')
  .option('--port <port>', 'port to listen on (default: PORT or 8080)')
  .option('--role <role>', 'all (default): site and jobs; web: the site only; worker: the jobs only', 'all')
  .action((opts: { port?: string; role: string }) => runServe(opts));

program
  .command('import')
  .description(
    'import arXiv metadata (Kaggle snapshot JSON lines) or Hugging Face daily papers, plain or gzip',
  )
  .argument('<files...>', 'files to import')
  .option('--format <format>', 'auto (default), kaggle or hf-daily')
  .option('--batch-size <n>', 'records per transaction (default: IMPORT_BATCH_SIZE or 1000)')
  .option('--report <dir>', 'folder for the report of rejected records (default: DATA_DIR/import-reports)')
  .action((files: string[], opts: { format?: string; batchSize?: string; report?: string }) =>
    withStore((store, config, log) => runImport(store, config, log, files, opts)),
  );

program
  .command('reindex')
  .description('rebuild and compact the full-text index; --embeddings: compute missing paper vectors')
  .option('--embeddings', 'give every paper without a vector of the configured model one (progress bar)')
  .option('--all', 'with --embeddings: every paper again')
  .action((opts: { embeddings?: boolean; all?: boolean }) =>
    withStore((store, config, log) => runReindexCommand(store, config, log, opts)),
  );

const admin = program.command('admin').description('manage accounts from the shell');
admin
  .command('create')
  .description('create an admin account (password from PAPERBOY_ADMIN_PASSWORD or the first line of stdin)')
  .argument('<username>')
  .argument('<email>')
  .action((username: string, email: string) =>
    withStore((store, config) => runAdminCreate(store, config, username, email)),
  );

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
  .action((opts: { period: string; date?: string; week?: string; dryRun?: boolean }) =>
    withStore((store, config, log) => runDigestCommand(store, config, log, opts)),
  );

const webhooks = program.command('webhooks').description("team chat: the day's top papers and new features");
webhooks
  .command('deliver')
  .description('queue the events due now and post every due one (each event goes to each webhook once)')
  .action(() => withStore((store, config, log) => runWebhooksDeliverCommand(store, config, log)));

program
  .command('harvest')
  .description(
    'harvest new arXiv papers now (OAI-PMH, the sets of HARVEST_SETS); with --from/--until, back-fill a range of days',
  )
  .option('--from <day>', 'back-fill from this day (YYYY-MM-DD, UTC)')
  .option('--until <day>', 'back-fill up to this day, included (default: today)')
  .option('--set <spec...>', 'harvest these OAI sets instead of HARVEST_SETS (e.g. cs:cs:CL)')
  .action((opts: { from?: string; until?: string; set?: string[] }) =>
    withStore(async (store, config, log) => {
      const summary = await runHarvestCommand(store, config, log, opts);
      process.exitCode = HARVEST_EXIT[summary.status];
    }),
  );

program
  .command('migrate-store')
  .description('copy this instance to another store (e.g. SQLite → PostgreSQL) and verify every table')
  .requiredOption('--from <url>', 'the store to copy from, e.g. sqlite:./data/paperboy.db')
  .requiredOption('--to <url>', 'the empty store to copy into, e.g. postgres://user@host/paperboy')
  .action((opts: { from: string; to: string }) => runMigrateStore(opts.from, opts.to));

program
  .command('backup')
  .description('write a consistent backup of the store (SQLite file, or pg_dump custom format)')
  .option('--out <file>', 'where to write it (default: DATA_DIR/backups/paperboy-<time>.db|.dump)')
  .action((opts: { out?: string }) =>
    withStore(async (store, config) => {
      await runBackup(store, config, opts.out);
    }),
  );

program
  .command('notify')
  .description(
    'make the notifications for new papers, replies and mentions now, then send the mail that is due',
  )
  .option('--no-mail', 'make the notifications only')
  .action((opts: { mail?: boolean }) =>
    withStore((store, config, log) => runNotifyCommand(store, config, log, opts)),
  );

program
  .command('keywords')
  .description('extract the keyphrases of every paper that has none yet (or changed since); resumable')
  .option('--limit <n>', 'at most this many papers')
  .action((opts: { limit?: string }) => withStore((store) => runKeywordsCommand(store, opts)));

program
  .command('summarize')
  .description('write one-line summaries of featured papers with the model of SUMMARY_API_URL')
  .option('--limit <n>', 'at most this many papers (default SUMMARY_MAX_PER_RUN)')
  .action((opts: { limit?: string }) =>
    withStore(
      (store, config, log) => runSummarizeCommand(store, config, log, opts),
      (config) => summarizeOptions(config, opts),
    ),
  );

program
  .command('for-you')
  .description('train every member\'s "for you" model and store their recommendations now')
  .option('--all', 'retrain members whose upvotes and collections did not change too')
  .action((opts: { all?: boolean }) => withStore((store, config) => runForYouCommand(store, config, opts)));

program
  .command('migrate')
  .description('bring the database to the latest schema (also done on every start)')
  .action(() => withStore((store) => runMigrate(store), undefined, true));

/** What a command's failure says: one line and an exit code for what a user can fix, the stack otherwise. */
function exitFor(err: unknown): never {
  if (err instanceof DatabaseUnreachableError || err instanceof EmbeddingError) {
    process.stderr.write(`paperboy: ${err.message}\n`);
    process.exit(1);
  }
  if (err instanceof HarvestBusyError) {
    process.stderr.write(`paperboy: ${err.message}; try again when it has finished\n`);
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
  process.stderr.write(`paperboy: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  exitFor(err);
}
