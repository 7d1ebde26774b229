import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import * as sqliteVec from 'sqlite-vec';
import type { Database } from './schema.ts';

interface StoreBase {
  /** the Kysely handle every *.store.ts takes first: one query code for both engines */
  db: Kysely<Database>;
  /** where the data lives, for messages: a file path, ':memory:' or the PostgreSQL host/database */
  location: string;
  /** changes whenever any connection, in this process or another, commits a change */
  dataVersion(): Promise<string>;
  close(): Promise<void>;
}

/** The embedded default: one SQLite file. */
export interface SqliteStore extends StoreBase {
  dialect: 'sqlite';
  /** the better-sqlite3 connection, for the few dialect-only paths (bulk import, votes, FTS5) */
  sqlite: BetterSqlite3.Database;
}

/** PostgreSQL 15+, for several app machines on one database. */
export interface PostgresStore extends StoreBase {
  dialect: 'postgres';
  pool: pg.Pool;
}

/** An open store, SQLite or PostgreSQL: code that needs the engine checks `dialect`. */
export type Store = SqliteStore | PostgresStore;

/** True for postgres:// and postgresql:// URLs. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

// bigint columns (count(*), sequences) as numbers: every count Paperboy keeps fits in 2^53
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Opens a PostgreSQL store on a pool of connections. */
export function openPostgresStore(url: string, maxConnections = 10): PostgresStore {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    // no JIT compilation: Paperboy's statements are short, and PostgreSQL compiled those its planner guessed
    // costly (a suggestion's few hundred word counts, a long search) for 30–150 ms, more than they then ran for
    // (docs/decisions.md). A session setting, so it also works behind a pooler that refuses startup options.
    // pg-pool awaits this hook before it hands the client out, so no query is ever queued behind it (pg 8.x
    // warns of a query sent while another runs, as the 'connect' event's did).
    onConnect: async (client: pg.ClientBase) => {
      await client.query('SET jit = off').catch(() => {});
    },
  });
  // an idle client that loses its server must not crash the process; the next query reports it
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const where = new URL(url);
  return {
    db,
    dialect: 'postgres',
    pool,
    location: `${where.hostname}:${where.port || 5432}${where.pathname}`,
    async dataVersion() {
      const { rows } = await pool.query<{ v: number }>('SELECT last_value AS v FROM data_version');
      return String(rows[0]?.v ?? 0);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** Opens the store DATABASE_URL names: SQLite by default, PostgreSQL for postgres:// URLs. */
export function openAnyStore(url: string): Store {
  return isPostgresUrl(url) ? openPostgresStore(url) : openStore(url);
}

export class DatabaseUrlError extends Error {}

/**
 * Reads DATABASE_URL: `sqlite:./data/paperboy.db`, `sqlite:///abs/path.db`, `sqlite::memory:`,
 * or a plain path ending in .db/.sqlite.
 * @example sqlitePathFromUrl('sqlite:./data/x.db') // './data/x.db'
 */
export function sqlitePathFromUrl(url: string): string {
  const text = url.trim();
  if (isPostgresUrl(text)) throw new DatabaseUrlError('not a sqlite: URL');
  if (text === 'sqlite::memory:' || text === ':memory:') return ':memory:';
  const m = /^sqlite:(?:\/\/)?(.+)$/i.exec(text) ?? /^file:(?:\/\/)?(.+)$/i.exec(text);
  if (m) return m[1]!;
  if (/\.(db|sqlite3?)$/i.test(text) && !text.includes('://')) return text;
  throw new DatabaseUrlError(`DATABASE_URL "${text}" is not a sqlite: URL`);
}

/**
 * For bulk work that walks and writes large tables (the import writer, `paperboy notify`) on a SQLite connection:
 * memory-mapped pages count towards the process's resident memory, so no memory map, and a 16 MB page cache (a
 * batch touches few pages more than once). The pages read stay the OS's page cache; peak RSS stays flat at any
 * file size (the notify benchmark: 272–365 MB peak RSS without this, 213–227 MB with it, at about twice the time,
 * docs/benchmarks.md).
 */
export function boundSqliteMemory(sqlite: BetterSqlite3.Database): void {
  sqlite.pragma('mmap_size = 0');
  sqlite.pragma('cache_size = -16000');
}

/** boundSqliteMemory for a store; PostgreSQL's memory is the server's: nothing to do. */
export function boundMemoryForBulkWork(store: Store): void {
  if (store.dialect === 'sqlite') boundSqliteMemory(store.sqlite);
}

/** Opens (and creates) the SQLite store with the pragmas Paperboy relies on. */
export function openStore(databaseUrl: string): SqliteStore {
  const path = sqlitePathFromUrl(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // page_size only takes effect on a new, empty database; larger pages suit the FTS index.
  sqlite.pragma('page_size = 16384');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -65536');
  // reads through a memory map instead of a copy per page: searches at 1M papers ran 5–15 % faster with the whole
  // file mapped than with 256 MB (docs/benchmarks.md). 2 GB is the most this SQLite build maps (MAX_MMAP_SIZE);
  // the mapped pages are the OS's page cache, shared by every process, not memory of their own.
  sqlite.pragma('mmap_size = 2147418112');
  // sqlite-vec (vectors for semantic search): once its vec0 table exists, every connection must know the
  // module, or SQLite cannot read the schema. Loaded from its npm package; where it has no build, semantic
  // search is simply unavailable.
  try {
    sqliteVec.load(sqlite);
  } catch {}
  const db = new Kysely<Database>({ dialect: immediateSqliteDialect(withStatementCache(sqlite)) });
  // data_version moves when another connection commits; total_changes() counts this connection's own writes
  const changesQuery = sqlite.prepare('SELECT total_changes()').pluck();
  const dataVersionQuery = sqlite.prepare('PRAGMA data_version').pluck();
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    location: path,
    dataVersion: async () => `${dataVersionQuery.get()}:${changesQuery.get()}`,
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Kysely's SQLite dialect, with transactions begun IMMEDIATE: they take the write lock when they start (waiting
 * up to busy_timeout for it), instead of at their first write. A deferred transaction that reads, then writes
 * after another process committed (another web process, `paperboy import` beside `serve`) fails at once with
 * SQLITE_BUSY: its snapshot is stale and waiting cannot help. The better-sqlite3 transactions of the stores are
 * `.immediate` for the same reason.
 */
function immediateSqliteDialect(database: SqliteDialectConfig['database']): Dialect {
  const config: SqliteDialectConfig = { database };
  const dialect = new SqliteDialect(config);
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new ImmediateSqliteDriver(config),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs more than running the small queries of a page. Queries
 * are built from the same code paths, so their SQL text repeats: keep the prepared statements, oldest out first.
 */
function withStatementCache(sqlite: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}
