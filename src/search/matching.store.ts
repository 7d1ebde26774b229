/**
 * Which of a range of papers match a search: a saved search asked once for the papers that arrived since the
 * notify job last looked (src/follows/notify.ts), not once per member. Every group of the query must match
 * (no widening to "any", as the search page does when nothing has them all), with its author, category,
 * exclusion and date filters; hidden papers never match. Each engine answers in its own file.
 */
import type { Store } from '../db/connect.ts';
import { byEngine } from '../db/engine.ts';
import { matchingAmongPostgres } from './matching.postgres.ts';
import { matchingAmongSqlite } from './matching.sqlite.ts';
import type { ParsedQuery } from './query-parse.ts';

/** The keys (papers.pk) of papers with afterPk < pk ≤ throughPk that match the query, in pk order. */
export function papersMatchingAmong(
  store: Store,
  query: ParsedQuery,
  afterPk: number,
  throughPk: number,
): Promise<number[]> {
  return byEngine(store, {
    sqlite: async (s) => matchingAmongSqlite(s, query, afterPk, throughPk),
    postgres: (s) => matchingAmongPostgres(s, query, afterPk, throughPk),
  });
}
