import type { Store } from '../db/connect.ts';
import { byEngine } from '../db/engine.ts';
import type { Paper } from '../papers/paper.ts';
import { candidatePapersPostgres } from './authors.postgres.ts';
import { candidatePapersSqlite } from './authors.sqlite.ts';

/** At most this many candidates for one name. */
const MAX_CANDIDATES = 5000;

/**
 * Papers that may be by a name: every paper with an author whose first given initial and family name match
 * ("J* Doe" for "Jane Doe" or "J. Doe"), found through the full-text index's authors column; the exact
 * attribution is done by `attributePapers`. Hidden papers never appear.
 */
export async function candidatePapers(store: Store, name: string): Promise<Paper[]> {
  return byEngine(store, {
    sqlite: (s) => candidatePapersSqlite(s, name, MAX_CANDIDATES),
    postgres: (s) => candidatePapersPostgres(s, name, MAX_CANDIDATES),
  });
}
