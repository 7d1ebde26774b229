/**
 * Similar papers kept per process: a paper page asks for its neighbours on every view, and they change only
 * when the data does. Answers are kept by paper and length, for the data version they were made from
 * (store.dataVersion(): any commit anywhere changes it), the least recently used dropped past LIMIT. A vote
 * elsewhere empties it, so a quiet site answers from memory and a busy one computes as before.
 */
import type { Store } from '../db/connect.ts';
import type { SearchHit, SearchService } from './search.store.ts';

const LIMIT = 5_000;

export function cachedSimilar(store: Store, similar: SearchService['similar']): SearchService['similar'] {
  let version = '';
  const kept = new Map<string, SearchHit[] | null>();
  return async (id, limit) => {
    const now = await store.dataVersion();
    if (now !== version) {
      kept.clear();
      version = now;
    }
    const key = `${id} ${limit}`;
    if (kept.has(key)) {
      const hits = kept.get(key)!;
      kept.delete(key);
      kept.set(key, hits);
      return hits;
    }
    const hits = await similar(id, limit);
    if ((await store.dataVersion()) !== now) return hits;
    if (kept.size >= LIMIT) kept.delete(kept.keys().next().value!);
    kept.set(key, hits);
    return hits;
  };
}
