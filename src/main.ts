import { Command } from 'commander';
import { runAdminCreate } from './cli/admin-command.ts';
import { runImportCommand, UsageError } from './cli/import-command.ts';
import { runReindexCommand } from './cli/reindex-command.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { DatabaseUrlError, openStore, type Store } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger, type Logger } from './log.ts';
import { EmbeddingError } from './search/embeddings/embedder.ts';
import { startServer } from './server.ts';
import { VERSION } from './web/site.ts';

/** Opens the configured store and brings it to the latest schema. */
async function openMigrated(config: Config, log: Logger): Promise<Store> {
  const store = openStore(config.DATABASE_URL);
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
  .description('start the web site and API')
  .option('--port <port>', 'port to listen on (default: PORT or 8080)')
  .action(async (opts: { port?: string }) => {
    if (opts.port) process.env.PORT = opts.port;
    const { config, log } = setup();
    const store = await openMigrated(config, log);
    const server = await startServer(store, config, log);
    const stop = () => {
      log.info('shutting down');
      server.close();
      void store.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
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
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof DatabaseUrlError) {
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
