/**
 * Notifications benchmark (issue 17, item 4): 10,000 members each following 10 things (6 authors and 4 saved
 * searches), a day of 1,000 new papers: the time `runNotify` (the notify job, `paperboy notify`) takes to match
 * and store the notifications, and its peak RSS, in a child process of its own; then the following page's
 * latency over HTTP (`paperboy serve`, autocannon, 10 connections, members' sessions in turn).
 *
 * The database (bench/out/bench-notifications.db, made afresh each run) holds the 9,246 real arXiv records of
 * ../shared/data through the real import writer (full-text index included): the first 8,246 are the archive, the
 * last 1,000 the day's new papers. Authors are drawn from all the records' authors (so a member's authors
 * write some of the day's papers, as in life), saved searches from a pool of 400 two-word queries made of the
 * archive's title words. Topics are left out (their keyphrases are the keywords job's cost, not this one's).
 *
 * Usage: npx tsx bench/notifications.ts [--members 10000] [--seconds 10] [--engine sqlite|postgres] [--web-processes N]
 *   (postgres: set PAPERBOY_BENCH_PG_URL to an empty database)
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { authorKey } from '../src/authors/names.ts';
import { boundMemoryForBulkWork, openAnyStore, type Store } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { watermarkToNow } from '../src/follows/notify.store.ts';
import { runNotify } from '../src/follows/notify.ts';
import { createImportWriter } from '../src/ingest/import.store.ts';
import { paperFingerprint, parseKaggleRecord } from '../src/ingest/kaggle.ts';
import type { PaperRecord } from '../src/papers/paper.ts';
import { createSession } from '../src/users/users.store.ts';
import { loadRealRecords } from './generate.ts';
import { machine, OUT, ROOT, removeSqliteFiles, startBenchServer } from './shared.ts';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    engine: { type: 'string', default: 'sqlite' },
    child: { type: 'string' },
    'web-processes': { type: 'string', default: '1' },
  },
});
const members = Number(values.members);
const NEW_PAPERS = 1000;
const AUTHORS_EACH = 6;
const SEARCHES_EACH = 4;
const SESSIONS = 200;

let seed = 11;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};
const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;

async function prepare(url: string): Promise<string[]> {
  const store = openAnyStore(url);
  await migrateToLatest(store);
  const records = (await loadRealRecords())
    .map((raw) => parseKaggleRecord(raw))
    .flatMap((p) => (p.ok ? [p.value] : []));
  const archive = records.slice(0, records.length - NEW_PAPERS);
  const writer = createImportWriter(store);
  const write = async (list: PaperRecord[]) => {
    for (let i = 0; i < list.length; i += 1000)
      await writer.writeArxivBatch(
        list.slice(i, i + 1000).map((record) => ({ record, fingerprint: paperFingerprint(record) })),
      );
  };
  await write(archive);
  const authors = [...new Set(records.flatMap((r) => r.authors))];
  const words = [
    ...new Set(
      archive.flatMap((r) =>
        (r.title.toLowerCase().match(/[a-z]{5,}/g) ?? []).filter(
          (w) => !/^(using|based|towards|learning)$/.test(w),
        ),
      ),
    ),
  ];
  const queries = new Set<string>();
  while (queries.size < 400) {
    const title =
      pick(archive)
        .title.toLowerCase()
        .match(/[a-z]{5,}/g) ?? [];
    if (title.length >= 2) queries.add(`${title[0]} ${title[1]}`);
    else queries.add(`${pick(words)} ${pick(words)}`);
  }
  const pool = [...queries];
  const now = new Date().toISOString();
  const tokens: string[] = [];
  for (let start = 1; start <= members; start += 500) {
    const users = [];
    for (let m = start; m < Math.min(members + 1, start + 500); m++)
      users.push({
        username: `member${m}`,
        email: `member${m}@example.org`,
        password_hash: 'x',
        created_at: now,
      });
    const ids = await store.db.insertInto('users').values(users).returning('id').execute();
    const follows = ids.flatMap(({ id }) => {
      const chosen = new Map<string, { kind: 'author' | 'search'; value: string }>();
      while (chosen.size < AUTHORS_EACH) {
        const name = pick(authors);
        chosen.set(`a:${authorKey(name)}`, { kind: 'author', value: name });
      }
      while (chosen.size < AUTHORS_EACH + SEARCHES_EACH) {
        const q = pick(pool);
        chosen.set(`s:${q}`, { kind: 'search', value: q });
      }
      return [...chosen.values()].map((f) => ({
        user_id: id,
        kind: f.kind,
        value: f.value,
        key: f.kind === 'author' ? authorKey(f.value) : f.value,
        created_at: now,
      }));
    });
    for (let i = 0; i < follows.length; i += 1000)
      await store.db
        .insertInto('follows')
        .values(follows.slice(i, i + 1000))
        .onConflict((oc) => oc.doNothing())
        .execute();
    if (tokens.length < SESSIONS)
      for (const { id } of ids.slice(0, SESSIONS - tokens.length))
        tokens.push(await createSession(store.db, id));
  }
  await watermarkToNow(store.db);
  await write(records.slice(-NEW_PAPERS));
  await store.close();
  return tokens;
}

async function child(url: string): Promise<void> {
  const store: Store = openAnyStore(url);
  // as `paperboy notify` runs it (src/cli/notify-command.ts)
  boundMemoryForBulkWork(store);
  const summary = await runNotify(store, { settleMs: 0 });
  // the peak of the run itself, before the counting below reads the whole table
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const count = await store.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const perMember = await store.db
    .selectFrom('notifications')
    .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('user_id')
    .execute();
  await store.close();
  console.log(
    JSON.stringify({
      summary,
      notifications: Number(count.n),
      membersTold: perMember.length,
      maxPerMember: Math.max(...perMember.map((r) => Number(r.n))),
      peakRssMb,
    }),
  );
}

if (values.child) {
  await child(values.child);
} else {
  let url: string;
  if (values.engine === 'postgres') {
    url = process.env.PAPERBOY_BENCH_PG_URL ?? '';
    if (!url) throw new Error('set PAPERBOY_BENCH_PG_URL to an empty PostgreSQL database');
  } else {
    const path = join(OUT, 'bench-notifications.db');
    removeSqliteFiles(path);
    url = `sqlite:${path}`;
  }
  const started = performance.now();
  const tokens = await prepare(url);
  console.log(`prepared in ${((performance.now() - started) / 1000).toFixed(0)} s; ${machine()}`);
  console.log(
    `load average before the run: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/notifications.ts', '--child', url], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  const port = 18_000 + Math.floor(random() * 1000);
  const server = await startBenchServer(url.replace(/^sqlite:/, ''), port, {
    ...(values.engine === 'postgres' ? { DATABASE_URL: url } : {}),
    NOTIFICATIONS_ENABLED: 'false',
    KEYWORDS_ENABLED: 'false',
    FOR_YOU_ENABLED: 'false',
    DIGESTS_ENABLED: 'false',
    WEBHOOKS_ENABLED: 'false',
    WEB_PROCESSES: values['web-processes'],
  });
  const loads: { connections: number; result: autocannon.Result }[] = [];
  try {
    const statuses = new Map<number, number>();
    const page = await fetch(`http://127.0.0.1:${port}/following`, {
      headers: { cookie: `pb_session=${tokens[0]}` },
    });
    const html = await page.text();
    if (page.status !== 200 || !html.includes('Following'))
      throw new Error(`/following answered ${page.status}`);
    let i = 0;
    for (const connections of [1, 10]) {
      const result = await autocannon({
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: Number(values.seconds),
        requests: [
          {
            method: 'GET',
            path: '/following',
            setupRequest: (req) => ({
              ...req,
              headers: { ...req.headers, cookie: `pb_session=${tokens[i++ % tokens.length]}` },
            }),
            onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
          },
        ],
      });
      loads.push({ connections, result });
    }
  } finally {
    server.kill();
  }
  const s = result.summary;
  console.log('| measure | figure |\n|---|---|');
  console.log(`| engine | ${values.engine} |`);
  console.log(
    `| members × follows | ${members.toLocaleString('en')} × ${AUTHORS_EACH + SEARCHES_EACH} (${AUTHORS_EACH} authors, ${SEARCHES_EACH} saved searches of a pool of 400) |`,
  );
  console.log(
    `| new papers (archive) | ${s.papers.toLocaleString('en')} (${(9246 - NEW_PAPERS).toLocaleString('en')}) |`,
  );
  console.log(
    `| notifications stored / members told / most for one member | ${result.notifications.toLocaleString('en')} / ${result.membersTold.toLocaleString('en')} / ${result.maxPerMember} |`,
  );
  console.log(`| time to compute and store (runNotify) | ${s.seconds.toFixed(2)} s |`);
  console.log(`| peak RSS of that process | ${result.peakRssMb} MB |`);
  for (const { connections, result: r } of loads)
    console.log(
      `| /following, ${SESSIONS} members in turn, ${connections} connection${connections > 1 ? 's' : ''}, ${values['web-processes']} web process(es) | p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${Math.round(r.requests.average)} req/s, ${r.errors + r.non2xx} errors |`,
    );
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
}
