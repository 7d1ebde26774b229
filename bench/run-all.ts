/** Runs every benchmark and prints its figures (npm run bench). Never part of npm test. */
import { dailyListBenchmark, loadTable } from './daily-list.ts';
import { harvestBenchmark, harvestTable } from './harvest.ts';
import { importBenchmark, importTable } from './import.ts';
import { machine } from './shared.ts';

console.log(`Paperboy benchmarks, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
console.log('## Import\n');
console.log(importTable(await importBenchmark()));
console.log('\n## Daily list at 1M papers and 50,000 features\n');
console.log(loadTable(await dailyListBenchmark()));
console.log('\n## arXiv harvest (OAI-PMH pages, parse and store)\n');
console.log(harvestTable(await harvestBenchmark()));
