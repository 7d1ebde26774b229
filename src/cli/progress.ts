import cliProgress from 'cli-progress';
import type { ImportCounts, ImportProgress } from '../ingest/import.ts';

const PLAIN_INTERVAL_MS = 5000;

/**
 * A progress bar with records/s and ETA on a terminal; a plain line every few seconds otherwise
 * (logs, CI, pipes). Both write to stderr so stdout stays clean.
 */
export function createImportProgress(stream: NodeJS.WriteStream = process.stderr): ImportProgress {
  const startedAt = Date.now();
  let total = 0;
  const compacting = () =>
    stream.write('import: compacting the search index (merging its segments; Ctrl-C stops safely)…\n');
  const buildingSearchIndex = (indexes: string[]) =>
    stream.write(
      `import: building the search index (${indexes.join(', ')}; dropped for the bulk load; about 15 s per 100,000 papers)…\n`,
    );
  const rate = (counts: ImportCounts) =>
    Math.round(counts.read / Math.max(0.001, (Date.now() - startedAt) / 1000));
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          '{bar} {percentage}% | {doneMB}/{totalMB} MB | {read} records, {rate}/s | ETA {eta_formatted} | +{inserted} ~{updated} ={unchanged} !{rejected}',
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      start(totalBytes) {
        total = totalBytes;
        bar.start(Math.max(1, totalBytes), 0, { ...zero(), doneMB: '0.0', totalMB: mb(total), rate: 0 });
      },
      advance(bytes, counts) {
        bar.update(Math.min(bytes, total), {
          ...counts,
          doneMB: mb(bytes),
          totalMB: mb(total),
          rate: rate(counts),
        });
      },
      stop() {
        bar.stop();
      },
      compacting,
      buildingSearchIndex,
    };
  }
  let lastPrinted = 0;
  return {
    start(totalBytes) {
      total = totalBytes;
      stream.write(`import: reading ${mb(total)} MB\n`);
    },
    advance(bytes, counts) {
      if (Date.now() - lastPrinted < PLAIN_INTERVAL_MS) return;
      lastPrinted = Date.now();
      const pct = total > 0 ? Math.min(100, Math.round((bytes / total) * 100)) : 100;
      stream.write(
        `import: ${pct}% ${counts.read} records (${rate(counts)}/s): ${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.rejected} rejected\n`,
      );
    },
    stop() {},
    compacting,
    buildingSearchIndex,
  };
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function zero(): ImportCounts {
  return { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
}
