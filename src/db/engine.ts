/**
 * The one engine seam. Code above db/ never asks which engine it runs on: it names what each engine builds,
 * and this is the only place that chooses. Engine code lives in `x.sqlite.ts` and `x.postgres.ts` beside the
 * `x.store.ts` that declares the interface both implement.
 */
import type { PostgresStore, SqliteStore, Store } from './connect.ts';

export type Engine = Store['dialect'];

export interface ByEngine<T> {
  sqlite: (store: SqliteStore) => T;
  postgres: (store: PostgresStore) => T;
}

/** Builds what `store`'s engine needs: `byEngine(store, { sqlite: (s) => …, postgres: (s) => … })`. */
export function byEngine<T>(store: Store, build: ByEngine<T>): T {
  return store.dialect === 'sqlite' ? build.sqlite(store) : build.postgres(store);
}

/** The engine's name, for messages and file names only (never for branching: use byEngine). */
export function engineOf(store: Store): Engine {
  return store.dialect;
}

/**
 * An engine's store of a domain, built once per opened database and then reused: the domain declares both
 * sides once (`export const voterOf = perEngine({ sqlite: …, postgres: … })`) and callers ask `voterOf(store)`.
 */
export function perEngine<T>(build: ByEngine<T>): (store: Store) => T {
  const built = new WeakMap<Store, T>();
  return (store) => {
    let value = built.get(store);
    if (value === undefined) {
      value = byEngine(store, build);
      built.set(store, value);
    }
    return value;
  };
}
