import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type { Store } from './connect.ts';
import { FTS_TABLES } from './schema.ts';

/**
 * Copies an instance from one store to another (SQLite → PostgreSQL when a community outgrows one machine, or
 * back), table by table in the order their references need, keeping every id, then checks it: the same row
 * count and the same checksum (SHA-256 over every row, in key order) on both sides.
 */
export interface TableSpec {
  name: string;
  /** the columns that make a row's identity, for ordering */
  key: string[];
  /** an identity column whose sequence must continue after the copied ids (PostgreSQL) */
  identity?: string;
  /** rows a migration writes into every new database (the notify watermarks): the copied ones replace them */
  seeded?: true;
}

/** Every table, parents before children. */
export const TABLES: TableSpec[] = [
  { name: 'settings', key: ['key'] },
  { name: 'papers', key: ['pk'], identity: 'pk' },
  { name: 'paper_categories', key: ['category', 'paper_pk'] },
  { name: 'users', key: ['id'], identity: 'id' },
  { name: 'teams', key: ['id'], identity: 'id' },
  { name: 'team_members', key: ['team_id', 'user_id'] },
  { name: 'team_papers', key: ['team_id', 'paper_id'] },
  { name: 'features', key: ['paper_id'] },
  { name: 'sessions', key: ['token_hash'] },
  { name: 'api_tokens', key: ['id'], identity: 'id' },
  { name: 'password_resets', key: ['token_hash'] },
  { name: 'votes', key: ['user_id', 'paper_id'] },
  { name: 'comments', key: ['id'], identity: 'id' },
  { name: 'moderation_log', key: ['id'], identity: 'id' },
  { name: 'subscriptions', key: ['id'], identity: 'id' },
  { name: 'digest_outbox', key: ['subscription_id', 'period'] },
  { name: 'harvest_state', key: ['scope', 'set_spec', 'metadata_prefix'] },
  { name: 'harvest_runs', key: ['id'], identity: 'id' },
  { name: 'arxiv_deletions', key: ['paper_id'] },
  { name: 'collections', key: ['id'], identity: 'id' },
  { name: 'collection_papers', key: ['collection_id', 'paper_id'] },
  { name: 'author_claims', key: ['id'], identity: 'id' },
  { name: 'paper_keyphrases', key: ['paper_pk'] },
  { name: 'keyphrase_index', key: ['phrase', 'paper_pk'] },
  { name: 'recommendations', key: ['user_id', 'rank'] },
  { name: 'recommendation_state', key: ['user_id'] },
  { name: 'user_identities', key: ['issuer', 'subject'] },
  { name: 'invitations', key: ['id'], identity: 'id' },
  { name: 'webhooks', key: ['id'], identity: 'id' },
  { name: 'webhook_deliveries', key: ['id'], identity: 'id' },
  { name: 'follows', key: ['id'], identity: 'id' },
  { name: 'notifications', key: ['id'], identity: 'id' },
  { name: 'notification_settings', key: ['user_id'] },
  { name: 'notification_mail', key: ['user_id', 'day'] },
  { name: 'notify_state', key: ['name'], seeded: true },
  // paper_embeddings (SQLite's vectors) are not copied: `paperboy reindex --embeddings` makes them again
];

/** Columns only one engine has (PostgreSQL's generated `search` vector): never copied, never checksummed. */
const ENGINE_ONLY_COLUMNS = new Set(['search']);
const BATCH = 500;

export interface TableReport {
  table: string;
  rows: number;
  checksum: string;
  matches: boolean;
}

type Row = Record<string, unknown>;

async function columnsOf(store: Store, table: string): Promise<string[]> {
  if (store.dialect === 'sqlite') {
    return (
      store.sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]
    ).map((r) => r.name);
  }
  const { rows } = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_name = ${table} AND table_schema = current_schema()
    ORDER BY ordinal_position`.execute(store.db);
  return rows.map((r) => r.column_name);
}

/** A table's rows in batches, by keyset pagination (`WHERE (key) > (last key)`), never OFFSET. */
async function* readRows(store: Store, spec: TableSpec, columns: string[]): AsyncGenerator<Row[]> {
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const keys = sql.join(spec.key.map((c) => sql.ref(c)));
  let last: unknown[] | null = null;
  for (;;) {
    const after: RawBuilder<unknown> = last
      ? sql`WHERE (${keys}) > (${sql.join(last.map((v) => sql`${v}`))})`
      : sql``;
    const { rows }: { rows: Row[] } =
      await sql<Row>`SELECT ${list} FROM ${sql.table(spec.name)} ${after} ORDER BY ${keys} LIMIT ${BATCH}`.execute(
        store.db,
      );
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < BATCH) return;
    const end: Row = rows[rows.length - 1]!;
    last = spec.key.map((k: string) => end[k]);
  }
}

/** Values as both engines return them alike: numbers as numbers, text as text, null as null. */
function normalise(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/**
 * SHA-256 over the sorted hashes of every row: independent of the order each engine returns rows in (text keys
 * sort by the database's collation, which may differ between two servers).
 */
async function checksum(
  store: Store,
  spec: TableSpec,
  columns: string[],
): Promise<{ rows: number; checksum: string }> {
  const rowHashes: string[] = [];
  for await (const batch of readRows(store, spec, columns)) {
    for (const row of batch) {
      rowHashes.push(
        createHash('sha256')
          .update(JSON.stringify(columns.map((c) => normalise(row[c]))))
          .digest('base64')
          .slice(0, 22),
      );
    }
  }
  rowHashes.sort();
  const hash = createHash('sha256');
  for (const h of rowHashes) hash.update(h);
  return { rows: rowHashes.length, checksum: hash.digest('hex').slice(0, 16) };
}

export class TargetNotEmptyError extends Error {}

/** Refuses to copy into a store that already has papers or members. */
export async function assertEmpty(store: Store): Promise<void> {
  for (const table of ['papers', 'users', 'subscriptions']) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(
      store.db,
    );
    if (Number(rows[0]?.n) > 0)
      throw new TargetNotEmptyError(`the target already has ${table}: copy only into an empty store`);
  }
}

export async function copyStore(
  from: Store,
  to: Store,
  onProgress?: (table: string, copied: number) => void,
): Promise<TableReport[]> {
  await assertEmpty(to);
  const reports: TableReport[] = [];
  for (const spec of TABLES) {
    const columns = (await columnsOf(from, spec.name)).filter((c) => !ENGINE_ONLY_COLUMNS.has(c));
    let copied = 0;
    if (spec.seeded) await to.db.deleteFrom(spec.name as never).execute();
    for await (const batch of readRows(from, spec, columns)) {
      await to.db.transaction().execute(async (trx) => {
        await trx
          .insertInto(spec.name as never)
          .values(batch.map((row) => Object.fromEntries(columns.map((c) => [c, normalise(row[c])]))) as never)
          .execute();
      });
      copied += batch.length;
      onProgress?.(spec.name, copied);
    }
    if (spec.identity && to.dialect === 'postgres') {
      await sql`SELECT setval(pg_get_serial_sequence(${spec.name}, ${spec.identity}), COALESCE((SELECT max(${sql.ref(spec.identity)}) FROM ${sql.table(spec.name)}), 0) + 1, false)`.execute(
        to.db,
      );
    }
  }
  // SQLite's full-text index is kept by the writers, not by the table: rebuild it from the copied papers
  if (to.dialect === 'sqlite')
    for (const table of FTS_TABLES) to.sqlite.exec(`INSERT INTO ${table} (${table}) VALUES ('rebuild')`);
  for (const spec of TABLES) {
    const columns = (await columnsOf(from, spec.name)).filter((c) => !ENGINE_ONLY_COLUMNS.has(c));
    const [a, b] = await Promise.all([checksum(from, spec, columns), checksum(to, spec, columns)]);
    reports.push({
      table: spec.name,
      rows: a.rows,
      checksum: a.checksum,
      matches: a.rows === b.rows && a.checksum === b.checksum,
    });
  }
  return reports;
}
