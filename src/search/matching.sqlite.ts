/**
 * Raw better-sqlite3 statements, for speed (a notify run asks every distinct saved search): the FTS5 MATCH of a
 * query restricted to a rowid range, which FTS5 seeks to rather than reading the whole posting lists.
 */
import type { SqliteStore } from '../db/connect.ts';
import { FTS_TABLE, ftsMatch } from './fts5.sqlite.ts';
import type { ParsedQuery } from './query-parse.ts';
import { prepared } from './statements.sqlite.ts';

export function matchingAmongSqlite(
  store: SqliteStore,
  query: ParsedQuery,
  afterPk: number,
  throughPk: number,
): number[] {
  const match = ftsMatch(query, 'all');
  if (!match || throughPk <= afterPk) return [];
  const where = [
    `${FTS_TABLE} MATCH ?`,
    `${FTS_TABLE}.rowid > ?`,
    `${FTS_TABLE}.rowid <= ?`,
    'p.hidden_at IS NULL',
  ];
  const params: unknown[] = [match, afterPk, throughPk];
  if (query.after) {
    where.push('p.published_at >= ?');
    params.push(query.after);
  }
  if (query.before) {
    where.push('p.published_at <= ?');
    params.push(`${query.before}T99`);
  }
  return prepared(
    store,
    `SELECT p.pk FROM ${FTS_TABLE} JOIN papers p ON p.pk = ${FTS_TABLE}.rowid WHERE ${where.join(' AND ')}
     ORDER BY p.pk`,
  )
    .pluck()
    .all(...params) as number[];
}
