import type { SqliteStore } from '../db/connect.ts';
import type { Job } from '../jobs/registry.ts';
import { every } from '../jobs/schedule.ts';
import type { Logger } from '../log.ts';
import { compactIfFragmented } from './compaction.sqlite.ts';

/**
 * The scheduled check (SQLite only): every hour, compact the full-text indexes when one has more than
 * COMPACT_FROM_SEGMENTS segments. Harvests and edits add a segment a transaction, so on a site that imports
 * nothing large this runs about once a month; the check itself reads one small table (a millisecond at 1M).
 */
export function createCompactionJob(store: SqliteStore, log: Logger): Job {
  return {
    name: 'search-index-compaction',
    schedule: every(60),
    run: async (signal) => {
      const result = await compactIfFragmented(store, { shouldStop: () => signal.aborted });
      if (!result) return;
      log.info(
        { before: result.before, after: result.after, steps: result.steps, seconds: result.seconds },
        result.stopped ? 'search index compaction stopped' : 'search index compacted',
      );
    },
  };
}
