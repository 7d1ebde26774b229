/**
 * Harvest benchmark: parse and store throughput of OAI-PMH pages, and peak memory over a long run.
 *
 * Input: pages generated from the recorded arXivRaw records of ../shared/data/arxiv_responses (and the
 * synthetic new-server pages of test/fixtures/arxiv), copied with distinct ids, 2,500 records a page (the new
 * server's page size), chained by resumption tokens.
 *   1. parse only: parseOaiPage on the pages in memory;
 *   2. the whole harvester (runHarvest: polite fetcher, parse, category filter, fingerprint, one transaction per
 *      page with the FTS index and the harvest state) in a child process of its own (so its memory is measured
 *      alone), against a local HTTP server in this process that makes each page when asked, writing to a fresh
 *      SQLite file. The fetcher's 3-second spacing runs on an injected clock that does not wait: the figure
 *      is what our side can do, not what arXiv allows (one page per 3 s, i.e. at most ~830 records/s).
 * Prints records/s and the process's peak RSS. Usage: npx tsx bench/harvest.ts [--pages N]
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createHarvestStore } from '../src/harvest/harvest.sqlite.ts';
import { runHarvest } from '../src/harvest/run-harvest.ts';
import { parseOaiPage } from '../src/ingest/arxiv-oai.ts';
import { createPoliteFetcher } from '../src/ingest/polite-fetch.ts';
import type { Clock } from '../src/jobs/clock.ts';
import { silentLogger } from '../src/log.ts';
import { cleanEnv, machine, OUT, ROOT, SHARED_DATA } from './shared.ts';

const RECORDS_PER_PAGE = 2500;

/** The <record> elements of the recorded and synthetic arXivRaw pages (deleted ones left out). */
function templates(): string[] {
  const files = [
    join(SHARED_DATA, 'arxiv_responses/oai_arXivRaw_ListRecords_with_resumptionToken.xml'),
    join(ROOT, 'test/fixtures/arxiv/synthetic-oai-new-server-arXivRaw-page2.xml'),
    join(ROOT, 'test/fixtures/arxiv/synthetic-oai-new-server-arXivRaw-last-page.xml'),
  ];
  return files
    .flatMap((f) => readFileSync(f, 'utf8').match(/<record>[\s\S]*?<\/record>/g) ?? [])
    .filter((r) => !r.includes('status="deleted"'));
}

/** Page `n` of `total`: copies of the templates with ids 2401.00000, 2401.00001, … and a token to the next page. */
export function generatePage(records: string[], n: number, total: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < RECORDS_PER_PAGE; i++) {
    const serial = n * RECORDS_PER_PAGE + i;
    const id = `${2401 + Math.floor(serial / 100_000)}.${String(serial % 100_000).padStart(5, '0')}`;
    const template = records[serial % records.length]!;
    const oldId = /<id>([^<]+)<\/id>/.exec(template)![1]!;
    parts.push(
      template
        .replaceAll(`oai:arXiv.org:${oldId}`, `oai:arXiv.org:${id}`)
        .replace(`<id>${oldId}</id>`, `<id>${id}</id>`)
        .replace(/<title>/, `<title>Copy ${serial} of `),
    );
  }
  const token =
    n + 1 < total
      ? `<resumptionToken expirationDate='2099-01-01T00:00:00Z'>skip%3D${n + 1}</resumptionToken>`
      : '<resumptionToken/>';
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2025-03-19T04:31:07Z</responseDate><request verb="ListRecords">https://oaipmh.arxiv.org/oai</request><ListRecords>${parts.join('\n')}${token}</ListRecords></OAI-PMH>`,
  );
}

const noWait: Clock = { now: () => Date.now(), sleep: async () => undefined };

export interface HarvestFigures {
  pages: number;
  records: number;
  pageMb: number;
  parseRecordsPerSecond: number;
  harvestSeconds: number;
  harvestRecordsPerSecond: number;
  /** RSS of the harvesting process after 10 %, 50 % and 100 % of the pages */
  rssMb: [number, number, number];
  peakRssMb: number;
}

interface ChildReport {
  seconds: number;
  inserted: number;
  status: string;
  rssMb: [number, number, number];
  peakRssMb: number;
}

/**
 * The harvesting side, in its own process so its memory is measured alone: the real runHarvest against the
 * page server, on a clock that does not wait, into a fresh SQLite file. Prints a ChildReport as JSON.
 */
async function harvestChild(oaiUrl: string, dbPath: string, pageCount: number): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  const store = openStore(`sqlite:${dbPath}`);
  await migrateToLatest(store);
  const fetcher = createPoliteFetcher({
    userAgent: 'Paperboy/bench',
    allowedHosts: [new URL(oaiUrl).host],
    minIntervalMs: 3000,
    timeoutMs: 60_000,
    maxBytes: 64 * 1024 * 1024,
    maxAttempts: 1,
    clock: noWait,
    log: silentLogger,
  });
  const rss: number[] = [];
  const marks = new Set([Math.ceil(pageCount / 10), Math.ceil(pageCount / 2), pageCount]);
  const t = performance.now();
  const summary = await runHarvest(
    { store: createHarvestStore(store.sqlite), fetcher, clock: noWait, log: silentLogger },
    { oaiUrl, sets: ['cs'], metadataPrefix: 'arXivRaw', categories: [], initialDays: 3 },
    {
      trigger: 'cli',
      progress: {
        start() {},
        update(_units, counts) {
          if (marks.has(counts.pages) && rss.length < 3)
            rss.push(Math.round(process.memoryUsage().rss / 2 ** 20));
        },
        stop() {},
      },
    },
  );
  const seconds = (performance.now() - t) / 1000;
  await store.close();
  const report: ChildReport = {
    seconds,
    inserted: summary.inserted,
    status: summary.status,
    rssMb: rss as [number, number, number],
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(report));
}

export async function harvestBenchmark(pageCount = 40): Promise<HarvestFigures> {
  const records = templates();
  const total = pageCount * RECORDS_PER_PAGE;
  // pages are made when asked for, so neither process holds them all
  const server = createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('resumptionToken');
    const n = token ? Number(token.replace('skip%3D', '')) : 0;
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(generatePage(records, n, pageCount));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const oaiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oai`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      import.meta.filename,
      '--child',
      oaiUrl,
      join(OUT, 'bench-harvest.db'),
      String(pageCount),
    ],
    { cwd: ROOT, env: cleanEnv({}), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  server.close();
  if (code !== 0) throw new Error(`harvest child failed (exit ${code})`);
  const report = JSON.parse(out) as ChildReport;
  if (report.status !== 'ok' || report.inserted !== total) throw new Error(`harvest went wrong: ${out}`);

  // parse only, in memory, after a warm-up page
  const sample = Array.from({ length: Math.min(pageCount, 10) }, (_, n) =>
    generatePage(records, n, pageCount),
  );
  parseOaiPage(sample[0]!);
  const t = performance.now();
  for (const page of sample) parseOaiPage(page);
  const parseSeconds = (performance.now() - t) / 1000;
  return {
    pages: pageCount,
    records: total,
    pageMb: sample[0]!.length / 1e6,
    parseRecordsPerSecond: Math.round((sample.length * RECORDS_PER_PAGE) / parseSeconds),
    harvestSeconds: report.seconds,
    harvestRecordsPerSecond: Math.round(total / report.seconds),
    rssMb: report.rssMb,
    peakRssMb: report.peakRssMb,
  };
}

export function harvestTable(f: HarvestFigures): string {
  return [
    '| measure | figure |',
    '|---|---|',
    `| pages × records | ${f.pages} × ${RECORDS_PER_PAGE} = ${f.records.toLocaleString('en')} (${f.pageMb.toFixed(1)} MB a page) |`,
    `| parse only (parseOaiPage, in memory, warm) | ${f.parseRecordsPerSecond.toLocaleString('en')} records/s |`,
    `| whole harvester (HTTP, parse, store with FTS, state per page) | ${f.harvestRecordsPerSecond.toLocaleString('en')} records/s (${f.harvestSeconds.toFixed(1)} s) |`,
    `| RSS of the harvesting process after 10 % / 50 % / 100 % of the pages | ${f.rssMb.join(' / ')} MB |`,
    `| peak RSS of the harvesting process | ${f.peakRssMb} MB |`,
  ].join('\n');
}

if (import.meta.filename === process.argv[1] && process.argv[2] === '--child') {
  await harvestChild(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
} else if (import.meta.filename === process.argv[1]) {
  const n = process.argv.includes('--pages') ? Number(process.argv[process.argv.indexOf('--pages') + 1]) : 40;
  const figures = await harvestBenchmark(n);
  console.log(`\nHarvest benchmark, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
  console.log(harvestTable(figures));
}
