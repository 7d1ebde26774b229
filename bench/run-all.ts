/** Runs every benchmark and prints its figures (npm run bench). Never part of npm test. */
import { dailyListBenchmark, loadTable } from './daily-list.ts';
import { harvestBenchmark, harvestTable } from './harvest.ts';
import { importBenchmark, importTable } from './import.ts';
import { searchSpeedBenchmark } from './search-speed.ts';
import { machine } from './shared.ts';

console.log(`Paperboy benchmarks, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
console.log('## Import\n');
console.log(importTable(await importBenchmark()));
console.log('\n## Daily list at 1M papers and 50,000 features\n');
console.log(loadTable(await dailyListBenchmark()));
console.log('\n## arXiv harvest (OAI-PMH pages, parse and store)\n');
console.log(harvestTable(await harvestBenchmark()));
console.log('\n## Search at 1M papers (npx tsx bench/search-speed.ts prints the full report)\n');
const search = await searchSpeedBenchmark();
for (const f of search.figures)
  console.log(
    `${f.label}: p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms, ${f.requestsPerSecond} req/s, ${f.errors} errors`,
  );
console.log(
  '\nSearch quality: npx tsx bench/search-quality.ts; hybrid (about 20 minutes): npx tsx bench/search-hybrid.ts',
);
