/** Whether this database has the optional rum index (src/db/rum.ts), asked at most once a minute. */
import { sql } from 'kysely';
import type { PostgresStore } from '../db/connect.ts';
import { RUM_INDEX } from '../db/rum.ts';

const RECHECK_MS = 60_000;
const known = new WeakMap<PostgresStore, { present: boolean; at: number }>();

export async function hasRumIndex(store: PostgresStore): Promise<boolean> {
  const cached = known.get(store);
  if (cached && Date.now() - cached.at < RECHECK_MS) return cached.present;
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'papers' AND indexname = ${RUM_INDEX}`.execute(
    store.db,
  );
  const present = Number(rows[0]?.n) > 0;
  known.set(store, { present, at: Date.now() });
  return present;
}

/** Forgets what was known (a test that drops or makes the index). */
export function forgetRumIndex(store: PostgresStore): void {
  known.delete(store);
}
