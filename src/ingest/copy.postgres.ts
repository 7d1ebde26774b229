import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db/schema.ts';

/**
 * Rows into PostgreSQL through `COPY … FROM STDIN` (pg-copy-streams, docs/decisions.md D61), in the text format:
 * fields split by tabs, rows by newlines, `\N` for NULL, and in a value a backslash, tab, newline and carriage
 * return written as `\\`, `\t`, `\n`, `\r`. Nothing else is escaped: every other character (quotes, `\N` as
 * text, control characters, emoji, lone surrogates as U+FFFD) reaches the server as the same UTF-8 bytes the
 * parameters of an INSERT carry, so both store the same value. A NUL is passed through as is, and the server
 * refuses it as it refuses a NUL parameter ("invalid byte sequence for encoding UTF8: 0x00").
 */
export type CopyValue = string | number | null;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value as a field of COPY's text format. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`COPY cannot carry the number ${value}`);
    return String(value);
  }
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]!) : value;
}

/** One row as a line of COPY's text format. */
export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : '\t') + copyField(values[i]!);
  return `${line}\n`;
}

/** About this many characters go to the server per write: a batch of long abstracts in a few messages. */
const CHUNK_CHARS = 1 << 20;

/** COPY's text lines of rows, a chunk of about CHUNK_CHARS at a time. */
function* copyChunks(rows: Iterable<readonly CopyValue[]>): Generator<Buffer> {
  let chunk = '';
  for (const row of rows) {
    chunk += copyLine(row);
    if (chunk.length >= CHUNK_CHARS) {
      yield Buffer.from(chunk, 'utf8');
      chunk = '';
    }
  }
  if (chunk !== '') yield Buffer.from(chunk, 'utf8');
}

/**
 * Copies rows into a table's columns (in that order) on a client, in its transaction; returns how many the
 * server took. A failure (a refused value, a lost connection) rejects, and fails the transaction with it.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  const copy = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows)), copy);
  return copy.rowCount;
}

const clients = new WeakMap<Transaction<Database>, pg.PoolClient>();

/**
 * A Kysely transaction on one client of the pool, whose statements and COPYs (copyClient) share it: Kysely
 * keeps its clients to itself, so the transaction runs on a Kysely of that one client. Committed when fn
 * resolves, rolled back when it rejects; the client of a failed transaction is closed, not reused, in case the
 * failure was the connection's.
 */
export async function clientTransaction<T>(
  pool: pg.Pool,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const oneClient = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        connect: async () => ({ query: client.query.bind(client), release: () => {} }),
        end: async () => {},
      },
    }),
  });
  try {
    const result = await oneClient.transaction().execute(async (trx) => {
      clients.set(trx, client);
      return await fn(trx);
    });
    client.release();
    return result;
  } catch (error) {
    client.release(true);
    throw error;
  }
}

/** The client a transaction of clientTransaction runs on, for COPY. */
export function copyClient(trx: Transaction<Database>): pg.PoolClient {
  const client = clients.get(trx);
  if (!client)
    throw new Error('COPY needs a transaction begun by clientTransaction (src/ingest/copy.postgres.ts)');
  return client;
}
