import { sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';
import type { ParsedQuery } from './query-parse.ts';
import { tsqueryOf } from './search.postgres.ts';

/** The PostgreSQL twin of matching.sqlite.ts: the tsquery over the `search` vector, within a pk range. */
export async function matchingAmongPostgres(
  store: PostgresStore,
  query: ParsedQuery,
  afterPk: number,
  throughPk: number,
): Promise<number[]> {
  const tsquery = tsqueryOf(query, 'all');
  if (!tsquery || throughPk <= afterPk) return [];
  const result = await sql<{ pk: number }>`
    SELECT p.pk FROM papers p
    WHERE p.pk > ${afterPk} AND p.pk <= ${throughPk} AND p.hidden_at IS NULL AND p.search @@ ${tsquery}
      ${query.after ? sql`AND p.published_at >= ${query.after}` : sql``}
      ${query.before ? sql`AND p.published_at < ${`${query.before}T99`}` : sql``}
    ORDER BY p.pk`.execute(store.db);
  return result.rows.map((r) => Number(r.pk));
}
