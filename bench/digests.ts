/**
 * Digest benchmark: one period's digests for 10,000 confirmed subscribers with mixed filters (none, categories,
 * keywords, both; 5 to 20 papers), composed and delivered over SMTP to a loopback peer (smtp-server in this
 * process, counting messages), by the real `paperboy digest send` in its own process. Prints messages/s and the
 * sender's peak RSS. Usage: npx tsx bench/digests.ts [--subscribers 10000]
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startSmtpPeer } from './peers/smtp-peer.ts';
import { cleanEnv, machine, OUT, ROOT, SHARED_DATA } from './shared.ts';

const CATEGORIES = ['cs.CL', 'cs.CV', 'cs.LG', 'cs.AI', 'cs.RO', 'stat.ML'];
const KEYWORDS = ['agents', 'diffusion', 'reinforcement learning', 'benchmark', 'video', 'reasoning'];

export async function digestBenchmark(subscribers = 10_000) {
  const db = join(OUT, 'bench-digests.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  const env = cleanEnv({ DATABASE_URL: `sqlite:${db}`, DATA_DIR: OUT });
  // a month of real features (HF) with their arXiv categories where known
  const imported = spawnSync(
    process.execPath,
    [
      'bin/paperboy.js',
      'import',
      join(SHARED_DATA, 'hf_daily_papers/hf_daily_papers_2026.jsonl.gz'),
      ...[1, 2, 3, 4].map((n) =>
        join(SHARED_DATA, `arxiv_metadata/arxiv_cs_2026-05-23_to_2026-07-01.part0${n}.jsonl.gz`),
      ),
    ],
    { cwd: ROOT, env, encoding: 'utf8' },
  );
  if (imported.status !== 0) throw new Error(imported.stderr);
  const sqlite = new BetterSqlite3(db);
  const insert = sqlite.prepare(
    "INSERT INTO subscriptions (email, frequency, categories, keywords, paper_count, status, created_at) VALUES (?, 'weekly', ?, ?, ?, 'confirmed', '2026-01-01')",
  );
  sqlite.transaction(() => {
    for (let i = 0; i < subscribers; i++) {
      const kind = i % 4;
      const cats = kind === 1 || kind === 3 ? [CATEGORIES[i % CATEGORIES.length]] : [];
      const words = kind === 2 || kind === 3 ? [KEYWORDS[i % KEYWORDS.length]] : [];
      insert.run(`reader${i}@example.org`, JSON.stringify(cats), JSON.stringify(words), 5 + (i % 16));
    }
  })();
  sqlite.close();

  const peer = await startSmtpPeer();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/paperboy.js', 'digest', 'send', '--period', 'weekly:2026-W30'],
    {
      cwd: ROOT,
      env: {
        ...env,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(peer.port),
        SMTP_TLS: 'none',
        DIGEST_RATE_PER_SECOND: '10000',
        SMTP_POOL_SIZE: '5',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let peakRss = 0;
  const sample = setInterval(() => {
    const status = spawnSync('ps', ['-o', 'rss=', '-p', String(child.pid)], {
      encoding: 'utf8',
    }).stdout.trim();
    if (status) peakRss = Math.max(peakRss, Number(status) / 1024);
  }, 200);
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  const code = await new Promise((r) => child.once('exit', r));
  clearInterval(sample);
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  await peer.close();
  if (code !== 0) throw new Error(`digest send failed: ${output}`);
  const sent = Number(/(\d+) sent/.exec(output)?.[1]);
  const skipped = Number(/(\d+) skipped/.exec(output)?.[1]);
  return {
    subscribers,
    sent,
    skipped,
    received: peer.received.length,
    seconds,
    perSecond: Math.round(sent / seconds),
    peakRssMb: Math.round(peakRss),
  };
}

if (import.meta.filename === process.argv[1]) {
  const n = process.argv.includes('--subscribers')
    ? Number(process.argv[process.argv.indexOf('--subscribers') + 1])
    : 10_000;
  const r = await digestBenchmark(n);
  console.log(`\nDigest benchmark, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
  console.log(
    '| subscribers | sent | skipped (no match) | received by the peer | wall time | messages/s | peak RSS |',
  );
  console.log('|---|---|---|---|---|---|---|');
  console.log(
    `| ${r.subscribers} | ${r.sent} | ${r.skipped} | ${r.received} | ${r.seconds.toFixed(1)} s | ${r.perSecond} | ${r.peakRssMb} MB |`,
  );
}
