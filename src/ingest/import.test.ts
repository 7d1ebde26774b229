import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sharedDataFile } from '../../test/helpers/shared-data.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { silentLogger } from '../log.ts';
import { findPaper } from '../papers/papers.store.ts';
import { importFiles } from './import.ts';

let store: TestStore;
beforeEach(async () => {
  store = await createTestStore();
});
afterEach(async () => {
  await store.dispose();
});

const run = (paths: string[], batchSize = 100, extra: Partial<Parameters<typeof importFiles>[2]> = {}) =>
  importFiles(store, paths, {
    batchSize,
    reportDir: join(store.dir, 'reports'),
    log: silentLogger,
    ...extra,
  });

const count = (sql: string) => (store.sqlite.prepare(sql).get() as { n: number }).n;

function kaggleLine(id: string, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    submitter: 'A. Person',
    authors: 'Jane Doe, John Roe and Ada Lovelace',
    title: `Paper ${id} about sparse attention`,
    comments: `Code: https://github.com/org/repo-${id.replace(/\W/g, '')}`,
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: 'cs.CL cs.LG',
    license: null,
    abstract: `We study sparse attention in paper ${id}.`,
    versions: [{ version: 'v1', created: 'Mon, 2 Apr 2024 19:18:42 GMT' }],
    update_date: '2024-04-03',
    authors_parsed: [],
    ...overrides,
  });
}

function writeFile(name: string, content: string | Buffer): string {
  const path = join(store.dir, name);
  writeFileSync(path, content);
  return path;
}

describe('import of Kaggle arXiv metadata', () => {
  it('imports the real Kaggle snapshot head with its exact schema', async () => {
    const file = sharedDataFile('arxiv_metadata/kaggle_arxiv-metadata-oai-snapshot_head200.jsonl');
    if (!file) return;
    const summary = await run([file]);
    expect(summary).toMatchObject({ read: 200, inserted: 200, updated: 0, unchanged: 0, rejected: 0 });
    const paper = await findPaper(store.db, '0704.0001');
    expect(paper).toMatchObject({
      title: 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
      authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan'],
      categories: ['hep-ph'],
      primaryCategory: 'hep-ph',
      version: 2,
      publishedAt: '2007-04-02T19:18:42.000Z',
      journalRef: 'Phys.Rev.D76:013009,2007',
      doi: '10.1103/PhysRevD.76.013009',
    });
    expect(paper?.abstract.startsWith('A fully differential calculation')).toBe(true);
  });

  it('reads gzip files and imports every real paper of the arXiv set, with the search index current', async () => {
    const files = [1, 2, 3, 4].map((n) =>
      sharedDataFile(`arxiv_metadata/arxiv_cs_2026-05-23_to_2026-07-01.part0${n}.jsonl.gz`),
    );
    if (files.some((f) => f === null)) return;
    const summary = await run(files as string[], 1000);
    expect(summary).toMatchObject({ read: 9246, inserted: 9246, rejected: 0 });
    expect(count('SELECT count(*) n FROM papers')).toBe(9246);
    // every paper is in the FTS index: a title word of each one finds it
    expect(count("SELECT count(*) n FROM papers_fts WHERE papers_fts MATCH 'title:physx'")).toBeGreaterThan(
      0,
    );
    expect(count('SELECT count(*) n FROM papers_fts')).toBe(9246);
    store.sqlite.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')");
    store.sqlite.exec("INSERT INTO papers_title_fts (papers_title_fts) VALUES ('integrity-check')");
    expect(count("SELECT count(*) n FROM papers_title_fts WHERE papers_title_fts MATCH 'physx'")).toBe(
      count("SELECT count(*) n FROM papers_fts WHERE papers_fts MATCH 'title:physx'"),
    );
    const physx = await findPaper(store.db, '2605.21572');
    expect(physx?.projectPage).toBe('https://physx-omni.github.io/');
  });

  it('is idempotent: a second run changes nothing', async () => {
    const file = writeFile('a.jsonl', [kaggleLine('2401.00001'), kaggleLine('2401.00002')].join('\n'));
    await run([file]);
    const before = store.sqlite.prepare('SELECT * FROM papers ORDER BY pk').all();
    const again = await run([file]);
    expect(again).toMatchObject({ read: 2, inserted: 0, updated: 0, unchanged: 2 });
    expect(store.sqlite.prepare('SELECT * FROM papers ORDER BY pk').all()).toEqual(before);
  });

  it('gives the same result parsing on a worker thread (the default) or in this thread', async () => {
    const file = writeFile(
      'both.jsonl',
      [kaggleLine('2401.00001'), '{broken', kaggleLine('2401.00002')].join('\n'),
    );
    const inThread = await run([file], 1, { parallel: false });
    expect(inThread).toMatchObject({ read: 3, inserted: 2, rejected: 1 });
    const onWorker = await run([file], 1);
    expect(onWorker).toMatchObject({ read: 3, inserted: 0, unchanged: 2, rejected: 1 });
    expect(onWorker.firstRejections).toEqual(inThread.firstRejections);
  });

  it('keeps the latest version: a newer version updates, an older one is ignored', async () => {
    const v1 = writeFile('v1.jsonl', kaggleLine('2401.00001'));
    const v2 = writeFile(
      'v2.jsonl',
      kaggleLine('2401.00001', {
        title: 'A better title',
        versions: [
          { version: 'v1', created: 'Mon, 2 Apr 2024 19:18:42 GMT' },
          { version: 'v2', created: 'Tue, 3 Sep 2024 10:00:00 GMT' },
        ],
      }),
    );
    await run([v1]);
    expect(await run([v2])).toMatchObject({ updated: 1 });
    expect(await run([v1])).toMatchObject({ unchanged: 1, updated: 0 });
    const paper = await findPaper(store.db, '2401.00001');
    expect(paper).toMatchObject({
      title: 'A better title',
      version: 2,
      publishedAt: '2024-04-02T19:18:42.000Z',
    });
    expect(paper?.updatedAt).toBe('2024-09-03T10:00:00.000Z');
    // the search index follows the update: the new title is found, the old one no longer
    expect(count(`SELECT count(*) n FROM papers_fts WHERE papers_fts MATCH 'title:better'`)).toBe(1);
    expect(count(`SELECT count(*) n FROM papers_fts WHERE papers_fts MATCH 'title:sparse'`)).toBe(0);
  });

  it('reports bad records with file, line and reason, and imports the good ones', async () => {
    const lines = [
      kaggleLine('2401.00001'),
      '{"id": "2401.00002", "title": ',
      JSON.stringify({ title: 'No id here', abstract: 'x' }),
      kaggleLine('2401.00003', { title: '   ' }),
      kaggleLine('not-an-id'),
      '[1, 2, 3]',
      '',
      kaggleLine('2401.00004', { title: 'x'.repeat(5000) }),
      kaggleLine('2401.00005'),
    ];
    const file = writeFile('bad.jsonl', lines.join('\n'));
    const summary = await run([file]);
    expect(summary).toMatchObject({ read: 8, inserted: 2, rejected: 6 });
    expect(summary.firstRejections.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [2, 'malformed JSON'],
      [3, 'missing id'],
      [4, 'missing title (2401.00003)'],
      [5, 'invalid id'],
      [6, 'not a JSON object'],
      [8, 'title longer than 1000 characters (2401.00004)'],
    ]);
    expect(summary.firstRejections.every((r) => r.file === file)).toBe(true);
    const report = readFileSync(summary.reportPath!, 'utf8').trim().split('\n');
    expect(report).toHaveLength(6);
    expect(report[0]).toBe(`${file}:2: ${summary.firstRejections[0]!.reason}`);
    expect(count('SELECT count(*) n FROM papers')).toBe(2);
  });

  it('imports what precedes the damage in a truncated gzip, reports it, and goes on with the next file', async () => {
    const whole = gzipSync(
      Array.from({ length: 3000 }, (_, i) => kaggleLine(`2402.${String(i).padStart(5, '0')}`)).join('\n'),
    );
    const truncated = writeFile('truncated.jsonl.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const next = writeFile('next.jsonl', kaggleLine('2403.00001'));
    const summary = await run([truncated, next], 500);
    const imported = count("SELECT count(*) n FROM papers WHERE id LIKE '2402.%'");
    expect(imported).toBeGreaterThan(100);
    expect(imported).toBeLessThan(3000);
    expect(summary.rejected).toBe(1);
    expect(summary.firstRejections[0]).toMatchObject({
      file: truncated,
      reason: expect.stringMatching(/truncated/),
    });
    expect(await findPaper(store.db, '2403.00001')).not.toBeNull();
    // a complete file afterwards completes the import
    const full = writeFile('full.jsonl.gz', whole);
    const rerun = await run([full], 500);
    expect(rerun.inserted + rerun.unchanged).toBe(3000);
    expect(count("SELECT count(*) n FROM papers WHERE id LIKE '2402.%'")).toBe(3000);
  });

  it('reports a missing file or a file of unknown format and imports the others', async () => {
    const unknown = writeFile('unknown.jsonl', '{"hello": "world"}\n');
    const good = writeFile('good.jsonl', kaggleLine('2401.00001'));
    const summary = await run([join(store.dir, 'missing.jsonl'), unknown, good]);
    expect(summary.inserted).toBe(1);
    expect(summary.firstRejections.map((r) => r.reason)).toEqual([
      'file not found',
      'cannot tell the format of this file; give --format kaggle or hf-daily',
    ]);
  });

  it('stops after a committed batch when asked, and a re-run completes the import', async () => {
    const file = writeFile(
      'many.jsonl',
      Array.from({ length: 1000 }, (_, i) => kaggleLine(`2404.${String(i).padStart(5, '0')}`)).join('\n'),
    );
    let batches = 0;
    const first = await run([file], 100, {
      progress: { start() {}, advance() {}, stop() {} },
      shouldStop: () => ++batches >= 3,
    });
    expect(first.interrupted).toBe(true);
    expect(count('SELECT count(*) n FROM papers')).toBe(300);
    const second = await run([file], 100);
    expect(second).toMatchObject({ inserted: 700, unchanged: 300, interrupted: false });
  });
});

describe('import of Hugging Face daily papers', () => {
  function hfLine(id: string, overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({
      date: '2026-07-13',
      id,
      title: `HF paper ${id}`,
      summary: 'An abstract.',
      authors: ['Jane Doe', 'John Roe'],
      publishedAt: '2026-07-09T00:00:00.000Z',
      submittedOnDailyAt: '2026-07-13T00:00:00.000Z',
      submittedBy: 'akhaliq',
      upvotes: 33,
      numComments: 1,
      githubRepo: 'https://github.com/zli12321/LHTB',
      githubStars: 25,
      projectPage: null,
      ai_keywords: ['agents'],
      ai_summary: null,
      ...overrides,
    });
  }

  it('imports the real records: papers, features and the upvote baseline; a re-run changes nothing', async () => {
    const file = sharedDataFile('hf_daily_papers/hf_daily_papers_last30days_sample.jsonl');
    if (!file) return;
    const summary = await run([file]);
    expect(summary).toMatchObject({ read: 600, rejected: 0 });
    const expected = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; upvotes: number; date: string; submittedBy: string });
    const first = expected[0]!;
    const row = store.sqlite
      .prepare(
        'SELECT p.upvotes, p.imported_upvotes, f.day, f.submitter FROM papers p JOIN features f ON f.paper_id = p.id WHERE p.id = ?',
      )
      .get(first.id);
    expect(row).toEqual({
      upvotes: first.upvotes,
      imported_upvotes: first.upvotes,
      day: first.date,
      submitter: first.submittedBy,
    });
    expect(count('SELECT count(*) n FROM features')).toBe(new Set(expected.map((e) => e.id)).size);
    expect(await run([file])).toMatchObject({ inserted: 0, updated: 0, unchanged: 600 });
  });

  it('reads a raw API answer (a JSON array) and takes the day from the file name when items lack it', async () => {
    const file = sharedDataFile('hf_daily_papers/raw_api_samples/2024-06-05.json');
    if (!file) return;
    const items = JSON.parse(readFileSync(file, 'utf8')) as { paper: { id: string; upvotes: number } }[];
    const copy = writeFile('2024-06-05.json', readFileSync(file));
    const summary = await run([copy]);
    expect(summary).toMatchObject({ read: items.length, inserted: items.length, rejected: 0 });
    const days = store.sqlite.prepare('SELECT DISTINCT day FROM features').all();
    expect(days).toEqual([{ day: '2024-06-05' }]);
    const paper = await findPaper(store.db, items[0]!.paper.id);
    expect(paper?.upvotes).toBe(items[0]!.paper.upvotes);
  });

  it('keeps arXiv metadata over HF metadata, and the upvote baseline and feature over either import order', async () => {
    const hf = writeFile('hf.jsonl', hfLine('2607.08964'));
    const arxiv = writeFile(
      'arxiv.jsonl',
      kaggleLine('2607.08964', { title: 'The arXiv title', categories: 'cs.AI', versions: [] }),
    );
    await run([hf]);
    expect(await run([arxiv])).toMatchObject({ updated: 1 });
    const paper = await findPaper(store.db, '2607.08964');
    expect(paper).toMatchObject({
      title: 'The arXiv title',
      categories: ['cs.AI'],
      upvotes: 33,
      githubRepo: 'https://github.com/zli12321/LHTB',
      githubStars: 25,
      publishedAt: '2026-07-09T00:00:00.000Z',
    });
    // HF again after arXiv: the arXiv title stays
    expect(await run([hf])).toMatchObject({ unchanged: 1 });
    expect((await findPaper(store.db, '2607.08964'))?.title).toBe('The arXiv title');
  });

  it('features a paper once, on its earliest day, whatever the order of the files', async () => {
    const later = writeFile(
      'later.jsonl',
      hfLine('2607.00001', {
        date: '2026-07-20',
        submittedOnDailyAt: '2026-07-20T00:00:00.000Z',
        upvotes: 50,
      }),
    );
    const earlier = writeFile('earlier.jsonl', hfLine('2607.00001', { upvotes: 10 }));
    await run([later, earlier]);
    const row = store.sqlite.prepare('SELECT day, count(*) OVER () n FROM features').get();
    expect(row).toEqual({ day: '2026-07-13', n: 1 });
    expect((await findPaper(store.db, '2607.00001'))?.upvotes).toBe(50);
  });

  it('rejects hostile and malformed records with reasons', async () => {
    const file = writeFile(
      'bad-hf.jsonl',
      [
        hfLine('2607.00001', { upvotes: -3 }),
        hfLine('2607.00002', { upvotes: 'many' }),
        hfLine('2607.00003', { date: '2026-13-40' }),
        hfLine('9999.99999'),
        hfLine('2607.00005', { githubRepo: 'javascript:alert(1)', projectPage: 'data:text/html,x' }),
        hfLine('2607.00006', { submittedBy: '<script>' }),
      ].join('\n'),
    );
    const summary = await run([file]);
    expect(summary.rejected).toBe(4);
    expect(summary.firstRejections.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    const safe = await findPaper(store.db, '2607.00005');
    expect(safe).toMatchObject({ githubRepo: null, projectPage: null });
    const feature = store.sqlite
      .prepare("SELECT submitter FROM features WHERE paper_id = '2607.00006'")
      .get();
    expect(feature).toEqual({ submitter: null });
  });
});

describe('import of arXiv listing files with the API field names', () => {
  it('reads the real daily listing sample (summary, comment, lists of authors and categories)', async () => {
    const file = sharedDataFile('arxiv_metadata/sample_raw/dw-dengwei_daily-arXiv_2026-07-01.jsonl');
    if (!file) return;
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const uniqueIds = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
    const first = JSON.parse(lines[0]!) as {
      id: string;
      authors: string[];
      categories: string[];
      title: string;
    };
    const summary = await run([file]);
    expect(summary).toMatchObject({ read: lines.length, rejected: 0, inserted: uniqueIds.size });
    const paper = await findPaper(store.db, first.id);
    expect(paper).toMatchObject({ title: first.title, authors: first.authors, categories: first.categories });
    expect(paper?.abstract.length).toBeGreaterThan(100);
  });
});
