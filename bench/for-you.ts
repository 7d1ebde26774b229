/**
 * "For you" benchmark: every member's model trained and their recommendations stored, for 10,000 members with
 * 100 upvotes each over 1,000,000 papers, by `runForYou` (the job of `paperboy for-you` and the scheduler)
 * in a child process of its own, so its time and memory are measured alone.
 *
 * The database (bench/out/bench-for-you.db, made once and kept) has 1,000,000 papers whose titles and
 * abstracts cycle through the 9,246 real arXiv records of ../shared/data (ids distinct), written straight into
 * the papers table (the full-text index is not needed here), 10,000 members, and 1,000,000 upvotes: each member
 * upvotes 100 papers of one primary category (a member has interests), drawn at random among all papers.
 *
 * Usage: npx tsx bench/for-you.ts [--members 10000] [--upvotes 100] [--papers 1000000]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { runForYou } from '../src/recommendations/for-you-job.ts';
import { loadRealRecords, syntheticId } from './generate.ts';
import { machine, OUT, ROOT, removeSqliteFiles } from './shared.ts';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '10000' },
    upvotes: { type: 'string', default: '100' },
    papers: { type: 'string', default: '1000000' },
    child: { type: 'string' },
    'prepare-only': { type: 'boolean', default: false },
  },
});
const members = Number(values.members);
const upvotes = Number(values.upvotes);
const papers = Number(values.papers);

async function prepare(path: string): Promise<void> {
  removeSqliteFiles(path);
  const store = openStore(`sqlite:${path}`);
  await migrateToLatest(store);
  const real = await loadRealRecords();
  const sqlite = store.sqlite;
  const insert = sqlite.prepare(
    `INSERT INTO papers (id, version, title, authors, abstract, categories, primary_category, published_at, updated_at,
       fingerprint, created_at, modified_at) VALUES (?, 1, ?, '[]', ?, ?, ?, ?, ?, 'bench', '2026-01-01', '2026-01-01')`,
  );
  const byCategory = new Map<string, number[]>();
  const started = performance.now();
  for (let start = 0; start < papers; start += 10_000) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(papers, start + 10_000); i++) {
        const r = real[i % real.length] as { title: string; abstract: string; categories: string };
        const cats = String(r.categories).split(' ');
        const day = new Date(Date.UTC(2015, 0, 1) + Math.floor(i / 250) * 86_400_000).toISOString();
        insert.run(syntheticId(i), r.title, r.abstract, cats.join(' '), cats[0], day, day);
        const list = byCategory.get(cats[0]!) ?? [];
        list.push(i);
        byCategory.set(cats[0]!, list);
      }
    })();
  }
  console.log(`papers written in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const categories = [...byCategory.entries()]
    .filter(([, list]) => list.length >= upvotes * 10)
    .map(([c]) => c);
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const user = sqlite.prepare(
    `INSERT INTO users (username, email, password_hash, role, created_at) VALUES (?, ?, 'x', 'member', '2026-01-01')`,
  );
  const vote = sqlite.prepare(
    `INSERT OR IGNORE INTO votes (user_id, paper_id, created_at) VALUES (?, ?, '2026-01-01')`,
  );
  sqlite.transaction(() => {
    for (let m = 1; m <= members; m++) {
      const id = Number(user.run(`member${m}`, `member${m}@example.org`).lastInsertRowid);
      const pool = byCategory.get(categories[Math.floor(random() * categories.length)]!)!;
      const chosen = new Set<number>();
      while (chosen.size < upvotes) chosen.add(pool[Math.floor(random() * pool.length)]!);
      for (const i of chosen) vote.run(id, syntheticId(i));
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
}

async function child(path: string): Promise<void> {
  const store = openStore(`sqlite:${path}`);
  const config = loadConfig({ DATABASE_URL: `sqlite:${path}` });
  const marks: { done: number; at: number; rss: number }[] = [];
  const started = performance.now();
  let firstAt = 0;
  const summary = await runForYou(store, config, {
    force: true,
    onProgress: (done, total) => {
      if (done === 1) firstAt = performance.now();
      if (done % Math.max(1, Math.floor(total / 10)) === 0)
        marks.push({ done, at: performance.now() - started, rss: process.memoryUsage.rss() });
    },
  });
  const rows = store.sqlite.prepare('SELECT count(*) AS n FROM recommendations').get() as { n: number };
  await store.close();
  console.log(
    JSON.stringify({
      summary,
      setupSeconds: (firstAt - started) / 1000,
      marks,
      recommendations: rows.n,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    }),
  );
}

if (values.child) {
  await child(values.child);
} else {
  const path = join(OUT, `bench-for-you-${papers}-${members}x${upvotes}.db`);
  if (!existsSync(path)) {
    console.log(`building ${path} …`);
    await prepare(path);
  }
  if (values['prepare-only']) process.exit(0);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  console.log(`${machine()}; load average before the run: ${load}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/for-you.ts', '--child', path], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  const s = result.summary;
  console.log(`| measure | figure |\n|---|---|`);
  console.log(
    `| papers × members × upvotes | ${papers.toLocaleString('en')} × ${members.toLocaleString('en')} × ${upvotes} |`,
  );
  console.log(
    `| candidates (newest papers) / negatives (random sample) | ${s.candidates.toLocaleString('en')} / ${s.negatives.toLocaleString('en')} |`,
  );
  console.log(
    `| set-up: read and vectorise candidates and negatives, idf | ${result.setupSeconds.toFixed(1)} s |`,
  );
  console.log(`| whole run (all members trained, scored, stored) | ${s.seconds.toFixed(1)} s |`);
  console.log(
    `| per member (wall) | ${(((s.seconds - result.setupSeconds) * 1000) / s.members).toFixed(1)} ms |`,
  );
  console.log(`| CPU time of the process (user + system) | ${result.cpuSeconds.toFixed(1)} s |`);
  console.log(`| recommendations stored | ${result.recommendations.toLocaleString('en')} |`);
  console.log(`| peak RSS of the process | ${result.peakRssMb} MB |`);
  console.log(
    `| RSS at 10 % … 100 % of members | ${result.marks.map((m: { rss: number }) => Math.round(m.rss / 1048576)).join(' / ')} MB |`,
  );
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
}
