import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStoreUnderTest,
  itOnPostgres,
  rows,
  type StoreUnderTest,
  sql,
  TEST_ENGINE,
} from '../../test/helpers/store-under-test.ts';
import { openStore, type Store } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { silentLogger } from '../log.ts';
import { clientTransaction, copyClient, copyLine, copyRows } from './copy.postgres.ts';
import { importFiles } from './import.ts';
import { planArxiv } from './import-rules.ts';
import { paperFingerprint, parseKaggleRecord } from './kaggle.ts';

/**
 * The PostgreSQL writer's COPY path (copy.postgres.ts, paper-staging.postgres.ts) against the SQLite writer:
 * hostile text stored byte for byte as SQLite stores it, re-imports that change nothing, updates, a paper twice
 * in a batch, and a batch that fails midway. Runs on both engines (vitest.config.ts ON_BOTH_STORES); on SQLite
 * the reference is a second SQLite store, so the same assertions hold of the writer SQLite has always had.
 */

const stores: Store[] = [];
let dir: StoreUnderTest;
beforeAll(async () => {
  dir = await createStoreUnderTest();
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await dir.dispose();
});

async function freshStore(): Promise<StoreUnderTest> {
  const store = await createStoreUnderTest();
  stores.push({ ...store, close: () => store.dispose() });
  return store;
}

let sqliteStores = 0;
async function referenceSqlite(): Promise<Store> {
  const store = openStore(`sqlite:${join(dir.dir, `reference-${sqliteStores++}.db`)}`);
  await migrateToLatest(store);
  stores.push(store);
  return store;
}

const run = (store: Store, paths: string[], batchSize = 250) =>
  importFiles(store, paths, { batchSize, reportDir: join(dir.dir, 'reports'), log: silentLogger });

let files = 0;
function writeLines(lines: unknown[]): string {
  const path = join(dir.dir, `records-${files++}.jsonl`);
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
}

function kaggle(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    authors: 'Jane Doe, John Roe',
    title: `Paper ${id}`,
    comments: null,
    'journal-ref': null,
    doi: null,
    categories: 'cs.CL cs.LG',
    abstract: `About paper ${id}.`,
    versions: [{ version: 'v1', created: 'Mon, 2 Apr 2024 19:18:42 GMT' }],
    update_date: '2024-04-03',
    ...overrides,
  };
}

const BACKSLASHES = 'a \\ b \\\\ c \\N \\. \\t \\n \\r \\x41 \\101 end \\';
const CONTROLS = 'bs\b esc\u001b del\u007f nel\u0085 bell\u0007';
const UNICODE = 'émoji 😀🧪👩🏽‍🔬, 中文, עברית, e\u0301, \ufffd, \u2028';
// (a lone surrogate is not in the import's records: better-sqlite3 stores it as its 3 WTF-8 bytes, pg as U+FFFD)
const LONE_SURROGATE = 'lone \ud800 surrogate';

/** arXiv records whose text COPY must escape, or must not: each field's hostile value survives the parser. */
function hostileRecords(version: number): Record<string, unknown>[] {
  const v = [{ version: 'v1', created: 'Mon, 2 Apr 2024 19:18:42 GMT' }];
  if (version === 2) v.push({ version: 'v2', created: 'Tue, 7 May 2024 10:00:00 GMT' });
  const suffix = version === 2 ? ' (revised \\ again)' : '';
  return [
    kaggle('2401.00001', {
      title: `\\N${suffix}`,
      abstract: '\\N',
      comments: '\\.',
      versions: v,
    }),
    kaggle('2401.00002', {
      title: `"Quotes" 'single' \`back\` ${BACKSLASHES}${suffix}`,
      abstract: `Tabs\tnew\nlines\r\ncarriage\rreturns ${BACKSLASHES} ${CONTROLS}`,
      authors: 'A. "Quoted" Person, B. Back\\slash, C. Tab\tName',
      comments: `${CONTROLS} ${BACKSLASHES}`,
      'journal-ref': 'J. "Ref" \\ 12',
      doi: '10.1000/a\\b"c',
      versions: v,
    }),
    kaggle('2401.00003', {
      title: `${UNICODE}${suffix}`,
      abstract: UNICODE.repeat(40),
      authors: Array.from({ length: 400 }, (_, i) => `Author ${i} ${'ü\\"'.repeat(80)}`).join(', '),
      categories: version === 2 ? 'math.AG hep-th' : 'hep-th math.AG cs.CL',
      versions: v,
    }),
    // the longest abstract the parser keeps: 20,000 UTF-16 units, 40 KB of UTF-8
    kaggle('2401.00004', { abstract: '😀'.repeat(10_000), versions: v }),
    kaggle('2401.00005', { title: `Plain${suffix}`, categories: '', versions: v }),
  ];
}

interface StoredPaper {
  pk: number;
  id: string;
  version: number | null;
  title: string;
  authors: string;
  abstract: string;
  comments: string | null;
  journal_ref: string | null;
  doi: string | null;
  created_at: string;
  modified_at: string;
  [column: string]: unknown;
}

const PAPER_COLUMNS = sql<StoredPaper>`
  SELECT pk, id, version, title, authors, abstract, categories, primary_category, published_at, updated_at,
    comments, journal_ref, doi, github_repo, project_page, github_stars, ai_summary, ai_summary_model, ai_keywords,
    imported_upvotes, upvotes, num_comments, fingerprint, organization, created_at, modified_at
  FROM papers ORDER BY pk`;

/** Every paper's columns (without the clock's), and every category row, as plain values of either engine. */
async function stored(store: Store) {
  const papers = (await rows(store, PAPER_COLUMNS)).map(({ created_at, modified_at, ...p }) => ({
    ...p,
    created_is_modified: created_at === modified_at,
  }));
  const categories = (
    await rows(
      store,
      sql<{ id: string; category: string; published_at: string | null }>`
        SELECT p.id, c.category, c.published_at FROM paper_categories c JOIN papers p ON p.pk = c.paper_pk`,
    )
  )
    .map((c) => `${c.id} ${c.category} ${c.published_at}`)
    .sort();
  return { papers, categories };
}

const clock = (store: Store) =>
  rows(
    store,
    sql<{ id: string; created_at: string; modified_at: string }>`
    SELECT id, created_at, modified_at FROM papers ORDER BY id`,
  );

describe(`the import writer on ${TEST_ENGINE}, against the SQLite writer`, () => {
  it('stores hostile text exactly as the rules planned it and SQLite stores it; a re-import changes nothing', async () => {
    const store = await freshStore();
    const reference = await referenceSqlite();
    const file = writeLines(hostileRecords(1));
    const first = await run(store, [file]);
    expect(first).toMatchObject({ read: 5, inserted: 5, updated: 0, unchanged: 0, rejected: 0 });
    expect(await run(reference, [file])).toMatchObject({ inserted: 5, rejected: 0 });
    const mine = await stored(store);
    expect(mine).toEqual(await stored(reference));

    // the stored text is the planned text, character for character
    const planned = hostileRecords(1).map((raw) => {
      const parsed = parseKaggleRecord(raw);
      if (!parsed.ok) throw new Error(parsed.reason);
      const plan = planArxiv(parsed.value, paperFingerprint(parsed.value), undefined, 'now');
      if (plan.kind !== 'insert') throw new Error(plan.kind);
      return plan.row;
    });
    expect(
      mine.papers.map((p) => [p.id, p.title, p.abstract, p.authors, p.comments, p.journal_ref, p.doi]),
    ).toEqual(planned.map((r) => [r.id, r.title, r.abstract, r.authors, r.comments, r.journalRef, r.doi]));
    expect(mine.papers.map((p) => p.pk)).toEqual([1, 2, 3, 4, 5]);
    expect(mine.papers[0]).toMatchObject({ title: '\\N', abstract: '\\N', comments: '\\.' });
    expect(String(mine.papers[2]!.authors).length).toBeGreaterThan(100_000);
    expect(mine.categories).toContain('2401.00003 cs.CL 2024-04-02T19:18:42.000Z');

    const before = await clock(store);
    expect(await run(store, [file])).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
    expect(await stored(store)).toEqual(mine);
    expect(await clock(store)).toEqual(before);
  });

  it('updates papers with newer versions, replacing their categories, as SQLite does', async () => {
    const store = await freshStore();
    const reference = await referenceSqlite();
    const v1 = writeLines(hostileRecords(1));
    const v2 = writeLines(hostileRecords(2));
    for (const s of [store, reference]) {
      await run(s, [v1]);
      expect(await run(s, [v2])).toMatchObject({ inserted: 0, updated: 5, unchanged: 0 });
    }
    const mine = await stored(store);
    expect(mine).toEqual(await stored(reference));
    expect(mine.papers.map((p) => p.version)).toEqual([2, 2, 2, 2, 2]);
    expect(mine.papers[0]!.title).toBe('\\N (revised \\ again)');
    expect(mine.categories.filter((c) => c.startsWith('2401.00003 '))).toEqual([
      '2401.00003 hep-th 2024-04-02T19:18:42.000Z',
      '2401.00003 math.AG 2024-04-02T19:18:42.000Z',
    ]);
    expect(mine.papers.every((p) => p.created_is_modified === false)).toBe(true);
    // the older file again: older versions change nothing
    expect(await run(store, [v1])).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
    expect(await stored(store)).toEqual(mine);
  });

  it('plans a paper that comes twice in one batch against what its first record wrote, as SQLite does', async () => {
    const store = await freshStore();
    const reference = await referenceSqlite();
    const v1 = hostileRecords(1);
    const v2 = hostileRecords(2);
    // new, then its update, then an older record (unchanged), then new papers around them
    const file = writeLines([
      v1[0],
      kaggle('2401.00010'),
      v2[0],
      v1[0],
      v1[1],
      v2[1],
      v2[1],
      kaggle('2401.00011'),
    ]);
    for (const s of [store, reference])
      expect(await run(s, [file])).toMatchObject({ inserted: 4, updated: 2, unchanged: 2 });
    expect(await stored(store)).toEqual(await stored(reference));
  });

  it('leaves nothing of a batch that fails midway, keeps the batches before it, and a re-run completes', async () => {
    const store = await freshStore();
    const reference = await referenceSqlite();
    const lines = Array.from({ length: 600 }, (_, i) => kaggle(`2402.${String(i + 1).padStart(5, '0')}`));
    // record 400, in the second batch of 250: its last category is refused by a trigger, after its paper row
    lines[399] = kaggle('2402.00400', { categories: 'cs.CL refuse.me' });
    const file = writeLines(lines);
    for (const s of [store, reference]) {
      await refuseCategory(s, 'refuse.me');
      await expect(run(s, [file])).rejects.toThrow(/refused/);
      const ids = await rows(s, sql<{ id: string }>`SELECT id FROM papers ORDER BY id`);
      expect(ids.map((r) => r.id)).toEqual(lines.slice(0, 250).map((l) => l.id));
      const categories = await rows(s, sql<{ n: number }>`SELECT count(*) AS n FROM paper_categories`);
      expect(Number(categories[0]!.n)).toBe(500);
      await allowCategory(s);
      expect(await run(s, [file])).toMatchObject({ inserted: 350, updated: 0, unchanged: 250 });
    }
    const mine = await stored(store);
    const theirs = await stored(reference);
    // PostgreSQL's identity does not give back the numbers of a rolled-back batch; SQLite's rowid does
    const withoutPk = (s: typeof mine) => ({ ...s, papers: s.papers.map(({ pk, ...p }) => p) });
    expect(withoutPk(mine)).toEqual(withoutPk(theirs));
    expect(mine.categories).toContain('2402.00400 refuse.me 2024-04-02T19:18:42.000Z');
  });

  it('keeps a NUL as SQLite does, or refuses its batch as PostgreSQL refuses a NUL in any text', async () => {
    const store = await freshStore();
    const lines = Array.from({ length: 300 }, (_, i) => kaggle(`2403.${String(i + 1).padStart(5, '0')}`));
    lines[260] = kaggle('2403.00261', { abstract: 'before\u0000after' });
    const file = writeLines(lines);
    const ids = async () => (await rows(store, sql<{ id: string }>`SELECT id FROM papers`)).length;
    if (TEST_ENGINE === 'postgres') {
      await expect(run(store, [file])).rejects.toThrow(/0x00/);
      expect(await ids()).toBe(250);
    } else {
      expect(await run(store, [file])).toMatchObject({ inserted: 300 });
      const [paper] = await rows(
        store,
        sql<{ abstract: string }>`SELECT abstract FROM papers WHERE id = '2403.00261'`,
      );
      expect(paper!.abstract).toBe('before\u0000after');
    }
  });
});

/** Makes the store refuse a category row, by trigger: a write that fails in the middle of a batch. */
async function refuseCategory(store: Store, category: string) {
  if (store.dialect === 'sqlite') {
    store.sqlite.exec(`CREATE TRIGGER refuse_category BEFORE INSERT ON paper_categories
      WHEN NEW.category = '${category}' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    return;
  }
  await sql`CREATE FUNCTION refuse_category() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.category = ${sql.lit(category)} THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`.execute(
    store.db,
  );
  await sql`CREATE TRIGGER refuse_category BEFORE INSERT ON paper_categories
    FOR EACH ROW EXECUTE FUNCTION refuse_category()`.execute(store.db);
}

async function allowCategory(store: Store) {
  if (store.dialect === 'sqlite') store.sqlite.exec('DROP TRIGGER refuse_category');
  else await sql`DROP TRIGGER refuse_category ON paper_categories`.execute(store.db);
}

describe('COPY text format', () => {
  const hostile = [
    '',
    '\t',
    '\n',
    '\r',
    '\r\n',
    '\\',
    '\\N',
    '\\.',
    '\\t\\n',
    'a\tb\nc\rd\\e',
    '"quoted", with ,commas; and \'single\'',
    CONTROLS,
    UNICODE,
    LONE_SURROGATE,
    'x'.repeat(100 * 1024),
    '😀'.repeat(30_000),
  ];

  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    expect(copyLine(['a\tb', null, 'c\\N', 5, '\r\n', ''])).toBe('a\\tb\t\\N\tc\\\\N\t5\t\\r\\n\t\n');
    expect(() => copyLine([Number.NaN])).toThrow(RangeError);
  });

  itOnPostgres(
    'round-trips every hostile value through the server exactly, NULL and the text \\N apart',
    async () => {
      if (dir.dialect !== 'postgres') return;
      const back = await clientTransaction(dir.pool, async (trx) => {
        await sql`CREATE TEMP TABLE copy_check (n integer, t text) ON COMMIT DROP`.execute(trx);
        const values = [...hostile.map((t, n) => [n, t]), [hostile.length, null]] as [
          number,
          string | null,
        ][];
        expect(await copyRows(copyClient(trx), 'copy_check', ['n', 't'], values)).toBe(values.length);
        return (
          await sql<{ n: number; t: string | null }>`SELECT n, t FROM copy_check ORDER BY n`.execute(trx)
        ).rows;
      });
      expect(back.map((r) => r.t)).toEqual([
        ...hostile.map((t) => Buffer.from(t, 'utf8').toString('utf8')),
        null,
      ]);
    },
  );

  itOnPostgres(
    'refuses a NUL as an INSERT parameter is refused, and rolls the transaction back',
    async () => {
      if (dir.dialect !== 'postgres') return;
      const pool = dir.pool;
      const viaParameter = await sql`SELECT ${'a\u0000b'}::text AS t`.execute(dir.db).catch((e: Error) => e);
      const viaCopy = await clientTransaction(pool, async (trx) => {
        await sql`CREATE TABLE copy_nul (t text)`.execute(trx);
        await copyRows(copyClient(trx), 'copy_nul', ['t'], [['fine'], ['a\u0000b']]);
      }).catch((e: Error) => e);
      expect(viaParameter).toBeInstanceOf(Error);
      expect(viaCopy).toBeInstanceOf(Error);
      expect((viaCopy as Error).message).toBe((viaParameter as Error).message);
      const left = await sql<{
        n: number;
      }>`SELECT count(*) AS n FROM pg_class WHERE relname = 'copy_nul'`.execute(dir.db);
      expect(Number(left.rows[0]!.n)).toBe(0);
      // the pool still works after a failed COPY
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(dir.db)).rows).toEqual([{ one: 1 }]);
    },
  );

  itOnPostgres('refuses writeArxivBatchIn a transaction it cannot COPY in', async () => {
    const { createPostgresImportWriter } = await import('./import.postgres.ts');
    if (dir.dialect !== 'postgres') return;
    const writer = createPostgresImportWriter(dir);
    const parsed = parseKaggleRecord(kaggle('2404.00001'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const item = { record: parsed.value, fingerprint: paperFingerprint(parsed.value) };
    await expect(
      dir.db.transaction().execute((trx) => writer.writeArxivBatchIn(trx, [item])),
    ).rejects.toThrow(/clientTransaction/);
    expect(await writer.transaction((trx) => writer.writeArxivBatchIn(trx, [item]))).toEqual({
      inserted: 1,
      updated: 0,
      unchanged: 0,
    });
  });
});
