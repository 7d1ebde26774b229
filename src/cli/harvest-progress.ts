import cliProgress from 'cli-progress';
import type { HarvestCounts, HarvestProgress } from '../harvest/run-harvest.ts';

const PLAIN_INTERVAL_MS = 5000;

/**
 * The harvest's progress: a bar over the lists to fetch (weeks of a back-fill, or sets) on a terminal, a
 * plain line every few seconds otherwise. Both on stderr so stdout keeps only the summary.
 */
export function createHarvestProgress(stream: NodeJS.WriteStream = process.stderr): HarvestProgress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          '{bar} {value}/{total} lists | {label} | {pages} pages, {records} records | +{inserted} ~{updated} ={unchanged} -{deleted} !{rejected}',
        hideCursor: true,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (total) => bar.start(Math.max(1, total), 0, { label: 'starting', ...zero() }),
      update: (units, counts, label) => bar.update(units, { ...counts, label }),
      stop: () => bar.stop(),
    };
  }
  let lastPrinted = 0;
  let total = 0;
  return {
    start(n) {
      total = n;
      stream.write(`harvest: ${n} list(s) to fetch\n`);
    },
    update(units, counts, label) {
      if (Date.now() - lastPrinted < PLAIN_INTERVAL_MS) return;
      lastPrinted = Date.now();
      stream.write(
        `harvest: ${units}/${total} lists, at ${label}: ${counts.pages} pages, ${counts.records} records, ${counts.inserted} inserted, ${counts.updated} updated\n`,
      );
    },
    stop() {},
  };
}

function zero(): HarvestCounts {
  return {
    pages: 0,
    records: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    filtered: 0,
    rejected: 0,
  };
}
