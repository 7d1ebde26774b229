/**
 * Experiment for issue 18: PostgreSQL full-text search through the GIN index Paperboy has (migration 0001, the
 * generated `search` tsvector) against the `rum` extension (Debian's postgresql-15-rum), which keeps positions
 * and an attached column in the index so ranked (`search <=> q`) and newest-first (`pk <=> max`) top-k queries
 * need no sort of every match. Plain SQL on the same table, one sitting, median of 5 after a warm-up run: what a
 * decision to adopt rum would rest on (not yet the app's own plans, which bound their work differently:
 * src/search/search.postgres.ts). Needs postgresql-15-rum installed; starts the cluster of port 54330.
 * Usage: npx tsx bench/experiments/pg-rum.ts [--papers 200000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generatePapers } from '../generate.ts';
import { cleanEnv, machine, OUT, ROOT } from '../shared.ts';

const { values } = parseArgs({ options: { papers: { type: 'string', default: '200000' } } });
const PAPERS = Number(values.papers);
const file = join(OUT, `papers-${PAPERS}.jsonl`);
if (!existsSync(file)) await generatePapers(PAPERS, file);

const admin = execFileSync(join(ROOT, 'scripts/pg-cluster.sh'), ['start'], {
  encoding: 'utf8',
  env: { ...process.env, PAPERBOY_PG_PORT: '54330' },
}).trim();
const setup = new pg.Client({ connectionString: admin });
await setup.connect();
await setup.query('DROP DATABASE IF EXISTS pb_rum WITH (FORCE)');
await setup.query('CREATE DATABASE pb_rum');
await setup.end();
const url = new URL(admin);
url.pathname = '/pb_rum';

const importStarted = performance.now();
const imported = spawnSync(process.execPath, ['bin/paperboy.js', 'import', file], {
  cwd: ROOT,
  env: cleanEnv({ DATABASE_URL: url.toString(), DATA_DIR: OUT, LOG_LEVEL: 'warn' }),
  encoding: 'utf8',
});
if (imported.status !== 0) throw new Error(imported.stderr);
const importSeconds = (performance.now() - importStarted) / 1000;

const db = new pg.Client({ connectionString: url.toString() });
await db.connect();
await db.query('VACUUM ANALYZE papers');

async function median(text: string, params: unknown[]): Promise<{ ms: number; rows: number }> {
  await db.query(text, params);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    rows = (await db.query(text, params)).rowCount ?? 0;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[2]!, rows };
}

const QUERIES = [
  'transformer',
  'model',
  'graph & neural & networks',
  'protein & folding',
  'quantum & error & correction',
];
const size = async (index: string) =>
  (await db.query<{ s: string }>(`SELECT pg_size_pretty(pg_relation_size('${index}')) AS s`)).rows[0]!.s;
const counts = new Map<string, number>();
for (const q of QUERIES)
  counts.set(
    q,
    Number(
      (
        await db.query<{ n: string }>(
          "SELECT count(*) AS n FROM papers WHERE search @@ to_tsquery('english', $1)",
          [q],
        )
      ).rows[0]!.n,
    ),
  );

const results: string[] = [];
const gin: Record<string, { rank: number; date: number }> = {};
for (const q of QUERIES) {
  const rank = await median(
    `SELECT pk FROM papers WHERE search @@ to_tsquery('english', $1)
     ORDER BY ts_rank_cd(search, to_tsquery('english', $1)) DESC LIMIT 20`,
    [q],
  );
  const date = await median(
    `SELECT pk FROM papers WHERE search @@ to_tsquery('english', $1) ORDER BY pk DESC LIMIT 20`,
    [q],
  );
  gin[q] = { rank: rank.ms, date: date.ms };
}

await db.query('CREATE EXTENSION IF NOT EXISTS rum');
let started = performance.now();
await db.query('CREATE INDEX papers_search_rum ON papers USING rum (search rum_tsvector_ops)');
const rumBuild = (performance.now() - started) / 1000;
started = performance.now();
await db.query(
  `CREATE INDEX papers_search_rum_pk ON papers USING rum (search rum_tsvector_addon_ops, pk) WITH (attach = 'pk', to = 'search')`,
);
const rumPkBuild = (performance.now() - started) / 1000;
await db.query('ANALYZE papers');
const ginIndex = (
  await db.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE tablename = 'papers' AND indexdef ILIKE '%USING gin (search)%'",
  )
).rows[0]?.indexname;

for (const q of QUERIES) {
  const rank = await median(
    `SELECT pk FROM papers WHERE search @@ to_tsquery('english', $1)
     ORDER BY search <=> to_tsquery('english', $1) LIMIT 20`,
    [q],
  );
  const date = await median(
    `SELECT pk FROM papers WHERE search @@ to_tsquery('english', $1)
     ORDER BY pk <=> 2147483647 LIMIT 20`,
    [q],
  );
  results.push(
    `| ${q.replaceAll(' & ', ' ')} | ${counts.get(q)} | ${gin[q]!.rank.toFixed(1)} ms | ${rank.ms.toFixed(1)} ms | ${gin[q]!.date.toFixed(1)} ms | ${date.ms.toFixed(1)} ms |`,
  );
}

console.log(`\nGIN and rum at ${PAPERS} papers, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
console.log(`import: ${importSeconds.toFixed(0)} s (${Math.round(PAPERS / importSeconds)} papers/s)`);
console.log(
  `index sizes: GIN ${ginIndex ? await size(ginIndex) : '?'}; rum ${await size('papers_search_rum')} (built in ${rumBuild.toFixed(0)} s); rum with pk attached ${await size('papers_search_rum_pk')} (${rumPkBuild.toFixed(0)} s)\n`,
);
console.log(
  '| query | matches | GIN, by ts_rank_cd | rum, by <=> | GIN, newest first | rum, pk attached, newest first |',
);
console.log('|---|---|---|---|---|---|');
for (const line of results) console.log(line);
await db.end();
