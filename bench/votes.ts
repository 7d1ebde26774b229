/**
 * Votes benchmark: upvotes per second through the real HTTP API (`POST|DELETE /api/papers/{id}/upvote` with
 * API tokens) from 500 concurrent clients on loopback, on one paper and spread over 10,000 papers.
 * Each client alternates POST and DELETE, so every request changes a vote. At the end every paper's count is
 * checked against its votes (no lost vote), and all 500 clients vote once more on one paper: it must have
 * exactly 500 more than its baseline. Usage: npx tsx bench/votes.ts [--seconds 10]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createApiToken, createUser } from '../src/users/users.store.ts';
import { generatePapers, syntheticId } from './generate.ts';
import { cleanEnv, machine, OUT, ROOT, removeSqliteFiles, startBenchServer } from './shared.ts';

const CLIENTS = 500;
const PAPERS = 10_000;
const TARGET_RATE = 2000;

interface VoteFigure {
  name: string;
  votesPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function prepare(db: string): Promise<string[]> {
  removeSqliteFiles(db);
  const papers = join(OUT, `papers-${PAPERS}.jsonl`);
  await generatePapers(PAPERS, papers);
  const imported = spawnSync(process.execPath, ['bin/paperboy.js', 'import', papers], {
    cwd: ROOT,
    env: cleanEnv({ DATABASE_URL: `sqlite:${db}`, DATA_DIR: OUT }),
    encoding: 'utf8',
  });
  if (imported.status !== 0) throw new Error(imported.stderr);
  const store = openStore(`sqlite:${db}`);
  await migrateToLatest(store);
  const tokens: string[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const user = await createUser(store.db, {
      username: `voter${i}`,
      email: `voter${i}@example.org`,
      passwordHash: 'unusable',
    });
    tokens.push(await createApiToken(store.db, user.id, 'bench'));
  }
  await store.close();
  return tokens;
}

async function load(
  name: string,
  base: string,
  tokens: string[],
  pathFor: (client: number) => string,
  seconds: number,
  overallRate?: number,
): Promise<VoteFigure> {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: CLIENTS,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    setupClient: (client) => {
      const index = next++ % tokens.length;
      client.setHeaders({ authorization: `Bearer ${tokens[index]}` });
      const path = pathFor(index);
      client.setRequests([
        { method: 'POST', path },
        { method: 'DELETE', path },
      ]);
    },
  });
  if (result.errors + result.non2xx + result.timeouts > 0) {
    process.stderr.write(
      `${name}: status codes ${JSON.stringify(result.statusCodeStats)}, errors ${result.errors}, timeouts ${result.timeouts}\n`,
    );
  }
  return {
    name,
    votesPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

export async function votesBenchmark(
  seconds = 10,
): Promise<{ figures: VoteFigure[]; consistent: boolean; finalCount: string }> {
  const db = join(OUT, 'bench-votes.db');
  const tokens = await prepare(db);
  const port = 29_000 + Math.floor(Math.random() * 1000);
  const server = await startBenchServer(db, port, { VOTES_PER_MINUTE: '1000000' });
  const base = `http://127.0.0.1:${port}`;
  const figures: VoteFigure[] = [];
  try {
    const one = syntheticId(7);
    figures.push(await load('one paper', base, tokens, () => `/api/papers/${one}/upvote`, seconds));
    let seed = 1;
    // each client keeps one paper, picked by a fixed pseudo-random sequence (Park–Miller)
    const spread = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return `/api/papers/${syntheticId(seed % PAPERS)}/upvote`;
    };
    figures.push(await load('10,000 papers', base, tokens, spread, seconds));
    // the same clients sending 2,000 votes/s in all (an open load): the latency a voter sees at the target rate
    figures.push(
      await load(
        'one paper, 2,000/s offered',
        base,
        tokens,
        () => `/api/papers/${one}/upvote`,
        seconds,
        TARGET_RATE,
      ),
    );
    figures.push(await load('10,000 papers, 2,000/s offered', base, tokens, spread, seconds, TARGET_RATE));
    // every client votes once more on one paper: the count must rise by exactly CLIENTS
    const target = syntheticId(9_999);
    const answers = await Promise.all(
      tokens.map((t) =>
        fetch(`${base}/api/papers/${target}/upvote`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t}` },
        }),
      ),
    );
    const ok = answers.filter((a) => a.status === 200).length;
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    const check = new BetterSqlite3(db, { readonly: true });
    const drift = check
      .prepare(
        `SELECT count(*) n FROM papers p WHERE p.upvotes != p.imported_upvotes + (SELECT count(*) FROM votes v WHERE v.paper_id = p.id)`,
      )
      .get() as { n: number };
    const final = check.prepare('SELECT upvotes, imported_upvotes FROM papers WHERE id = ?').get(target) as {
      upvotes: number;
      imported_upvotes: number;
    };
    check.close();
    return {
      figures,
      consistent: drift.n === 0 && ok === CLIENTS,
      finalCount: `${final.upvotes - final.imported_upvotes} votes from ${ok} acknowledged requests; ${drift.n} papers whose count differs from their votes`,
    };
  } finally {
    server.kill('SIGTERM');
  }
}

export function votesTable(run: Awaited<ReturnType<typeof votesBenchmark>>): string {
  return [
    `${CLIENTS} concurrent clients (autocannon), each alternating POST and DELETE of its upvote; as fast as the`,
    `server answers (closed loop), then at ${TARGET_RATE} votes/s offered in all`,
    '',
    '| load | votes/s | p50 | p99 | errors |',
    '|---|---|---|---|---|',
    ...run.figures.map(
      (f) => `| ${f.name} | ${f.votesPerSecond} | ${f.p50} ms | ${f.p99} ms | ${f.errors} |`,
    ),
    '',
    `no lost vote: ${run.consistent ? 'yes' : 'NO'} (${run.finalCount})`,
  ].join('\n');
}

if (import.meta.filename === process.argv[1]) {
  const seconds = process.argv.includes('--seconds')
    ? Number(process.argv[process.argv.indexOf('--seconds') + 1])
    : 10;
  const run = await votesBenchmark(seconds);
  console.log(`\nVotes benchmark, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
  console.log(votesTable(run));
}
