/**
 * Prepared statements of search, made once per store and SQL text: search SQL has few shapes, and preparing
 * costs as much as running the small queries it is made of.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteStore } from '../db/connect.ts';

const caches = new WeakMap<SqliteStore, Map<string, BetterSqlite3.Statement>>();

export function prepared(store: SqliteStore, sql: string): BetterSqlite3.Statement {
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = store.sqlite.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
