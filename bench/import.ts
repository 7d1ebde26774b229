/**
 * Import benchmark: `paperboy import` end to end (parse, store, search index) on
 *   1. the 9,246 real arXiv papers of ../shared/data/arxiv_metadata (four gzip files), and
 *   2. a 1,000,000-paper set generated from them with distinct ids (plain JSON lines, like Kaggle's file).
 * Prints papers/s and the peak RSS the command reports. The 1M database is kept in bench/out for
 * bench/daily-list.ts. Usage: npx tsx bench/import.ts [--papers N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generatePapers } from './generate.ts';
import { cleanEnv, machine, OUT, ROOT, removeSqliteFiles, SHARED_DATA } from './shared.ts';

export interface ImportFigure {
  name: string;
  papers: number;
  seconds: number;
  papersPerSecond: number;
  peakRssMb: number;
  databaseMb: number;
  /** of the wall time, merging the search index's segments at the end (D52), or null when it needed none */
  compactionSeconds: number | null;
}

export function runImport(name: string, files: string[], dbPath: string): ImportFigure {
  removeSqliteFiles(dbPath);
  const started = performance.now();
  const result = spawnSync(process.execPath, ['bin/paperboy.js', 'import', ...files], {
    cwd: ROOT,
    env: cleanEnv({ DATABASE_URL: `sqlite:${dbPath}`, DATA_DIR: OUT }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`import failed: ${result.stderr}`);
  const inserted = Number(/inserted\s+(\d+)/.exec(result.stdout)?.[1]);
  const rss = Number(/peak memory (\d+) MB/.exec(result.stdout)?.[1]);
  const compaction = /search index compacted in ([\d.]+) s/.exec(result.stdout);
  const size = statSync(dbPath).size + (existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0);
  return {
    name,
    papers: inserted,
    seconds,
    papersPerSecond: Math.round(inserted / seconds),
    peakRssMb: rss,
    databaseMb: Math.round(size / 1e6),
    compactionSeconds: compaction ? Number(compaction[1]) : null,
  };
}

export const MILLION_DB = join(OUT, 'bench-1m.db');

export async function importBenchmark(paperCount = 1_000_000): Promise<ImportFigure[]> {
  mkdirSync(OUT, { recursive: true });
  const real = [1, 2, 3, 4].map((n) =>
    join(SHARED_DATA, `arxiv_metadata/arxiv_cs_2026-05-23_to_2026-07-01.part0${n}.jsonl.gz`),
  );
  const figures = [runImport('9,246 real arXiv papers (4 gzip files)', real, join(OUT, 'bench-real.db'))];
  const big = join(OUT, `papers-${paperCount}.jsonl`);
  if (!existsSync(big)) {
    process.stderr.write(`generating ${paperCount} papers into ${big}…\n`);
    await generatePapers(paperCount, big);
  }
  // only the 1M run replaces the database the other benchmarks use
  const db = paperCount === 1_000_000 ? MILLION_DB : join(OUT, `bench-${paperCount}.db`);
  figures.push(
    runImport(`${paperCount.toLocaleString('en')} generated papers (plain JSON lines)`, [big], db),
  );
  return figures;
}

export function importTable(figures: ImportFigure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.name} | ${f.papers} | ${f.seconds.toFixed(1)} s | ${f.compactionSeconds === null ? '–' : `${f.compactionSeconds.toFixed(1)} s`} | ${f.papersPerSecond} | ${f.peakRssMb} MB | ${f.databaseMb} MB |`,
  );
  return [
    '| input | papers | wall time | of which compacting the index | papers/s | peak RSS | database |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

if (import.meta.filename === process.argv[1]) {
  const n = process.argv.includes('--papers')
    ? Number(process.argv[process.argv.indexOf('--papers') + 1])
    : 1_000_000;
  const figures = await importBenchmark(n);
  console.log(`\nImport benchmark, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
  console.log(importTable(figures));
}
