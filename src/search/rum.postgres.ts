/** Whether this database has the optional rum index (src/db/rum.ts), asked at most once a minute. */
import type { PostgresStore } from '../db/connect.ts';
import { rumIndexPresent } from '../db/rum.ts';

const RECHECK_MS = 60_000;
const known = new WeakMap<PostgresStore, { present: boolean; at: number }>();

export async function hasRumIndex(store: PostgresStore): Promise<boolean> {
  const cached = known.get(store);
  if (cached && Date.now() - cached.at < RECHECK_MS) return cached.present;
  const present = await rumIndexPresent(store);
  known.set(store, { present, at: Date.now() });
  return present;
}

/** Forgets what was known (a test that drops or makes the index). */
export function forgetRumIndex(store: PostgresStore): void {
  known.delete(store);
}
