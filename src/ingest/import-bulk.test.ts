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
import { migrateToLatest } from '../db/migrate.ts';
import { RUM_INDEX } from '../db/rum.ts';
import { SEARCH_INDEXES } from '../db/search-indexes.postgres.ts';
import { silentLogger } from '../log.ts';
import { NO_FILTERS } from '../search/search.store.ts';
import { createSearchService } from '../search/search-service.ts';
import {
  BULK_MIN_RECORDS,
  BYTES_PER_RECORD_ESTIMATE,
  bulkLoadApplies,
  shouldBulkLoad,
} from './bulk-load.postgres.ts';
import { type ImportOptions, importFiles } from './import.ts';

/**
 * PostgreSQL's bulk-load mode (bulk-load.postgres.ts, D63): the search indexes dropped for a large import into a
 * small database and built after. The same file runs on SQLite, where the option is ignored: the same answers.
 */
const WORDS = [
  'transformer',
  'diffusion',
  'graph',
  'retrieval',
  'reinforcement',
  'quantum',
  'protein',
  'sparse',
  'attention',
  'contrastive',
  'segmentation',
  'robotics',
  'language',
  'molecule',
  'planning',
  'kernel',
];
const AUTHORS = ['José Núñez', 'Zoë Müller', 'Ana Lima', 'Li Wei', 'Øystein Berg', 'Chloé Dubois'];

function paperLine(i: number): string {
  const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length]!;
  return JSON.stringify({
    id: `2401.${String(10000 + i)}`,
    submitter: null,
    authors: `${AUTHORS[i % AUTHORS.length]}, ${AUTHORS[(i + 2) % AUTHORS.length]}`,
    title: `On ${w(0)} ${w(1)} for ${w(2)} number ${i}`,
    comments: null,
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: i % 3 === 0 ? 'cs.CL cs.LG' : 'cs.CV',
    license: null,
    abstract: `We study ${w(3)} and ${w(4)} with ${w(5)} methods; experiments on ${w(6)} benchmarks.`,
    versions: [{ version: 'v1', created: 'Mon, 1 Jan 2024 00:00:00 GMT' }],
    update_date: '2024-01-02',
    authors_parsed: [],
  });
}

function writePapers(dir: string, name: string, from: number, to: number, extra: string[] = []): string {
  const lines: string[] = [];
  for (let i = from; i < to; i++) lines.push(paperLine(i));
  const path = join(dir, name);
  writeFileSync(path, `${[...lines, ...extra].join('\n')}\n`);
  return path;
}

const SEARCHES = [
  'transformer',
  'quantum protein',
  'diffusion graph retrieval',
  'Lima',
  'Wei kernel',
  'cs.CL',
];

async function answers(store: StoreUnderTest): Promise<string[][]> {
  const service = createSearchService(store, { embedder: null });
  const out: string[][] = [];
  for (const q of SEARCHES) {
    const r = await service.search({ q, filters: NO_FILTERS, sort: 'relevance', offset: 0, limit: 1000 });
    out.push(r.hits.map((h) => h.paper.id));
  }
  return out;
}

async function indexDefs(store: StoreUnderTest): Promise<Record<string, string>> {
  const found = await rows(
    store,
    sql<{ indexname: string; indexdef: string }>`
      SELECT indexname, indexdef FROM pg_indexes
      WHERE tablename = 'papers' AND indexname IN (${sql.join([...Object.keys(SEARCH_INDEXES), RUM_INDEX])})`,
  );
  return Object.fromEntries(found.map((r) => [r.indexname, r.indexdef]));
}

let bulk: StoreUnderTest;
let incremental: StoreUnderTest;
let freshDefs: Record<string, string> = {};
beforeAll(async () => {
  [bulk, incremental] = await Promise.all([createStoreUnderTest(), createStoreUnderTest()]);
  if (TEST_ENGINE === 'postgres') freshDefs = await indexDefs(bulk);
});
afterAll(async () => {
  await Promise.all([bulk?.dispose(), incremental?.dispose()]);
});

const options = (store: StoreUnderTest, more: Partial<ImportOptions> = {}): ImportOptions => ({
  batchSize: 100,
  reportDir: join(store.dir, 'reports'),
  log: silentLogger,
  ...more,
});

describe(`bulk import on ${TEST_ENGINE}`, () => {
  it('decides by a simple rule: large files, few stored papers', async () => {
    const large = BULK_MIN_RECORDS * BYTES_PER_RECORD_ESTIMATE * 5; // 100,000 records expected
    expect(shouldBulkLoad(0, large)).toBe(true);
    expect(shouldBulkLoad(24_999, large)).toBe(true);
    expect(shouldBulkLoad(25_000, large)).toBe(false);
    expect(shouldBulkLoad(0, BULK_MIN_RECORDS * BYTES_PER_RECORD_ESTIMATE - 1)).toBe(false);
    if (TEST_ENGINE !== 'postgres') return;
    // on the (empty) database, as the import asks
    expect(await bulkLoadApplies(incremental.db, large)).toBe(true);
    expect(await bulkLoadApplies(incremental.db, 1_000_000)).toBe(false);
  });

  it('gives the same search answers as an incremental import, with the indexes as a fresh migration makes them', async () => {
    const file = writePapers(bulk.dir, 'papers.jsonl', 0, 600);
    const built: string[][] = [];
    const a = await importFiles(
      bulk,
      [file],
      options(bulk, { bulkLoad: true, progress: progressSpy(built) }),
    );
    const b = await importFiles(incremental, [file], options(incremental, { bulkLoad: false }));
    expect(a).toMatchObject({ read: 600, inserted: 600, rejected: 0 });
    expect(b).toMatchObject({ read: 600, inserted: 600, rejected: 0 });
    const expected = await answers(incremental);
    expect(expected.every((hits) => hits.length > 0)).toBe(true);
    expect(await answers(bulk)).toEqual(expected);
    if (TEST_ENGINE !== 'postgres') {
      expect(a.searchIndexBuild).toBeNull();
      return;
    }
    expect(a.searchIndexBuild?.indexes).toEqual(expect.arrayContaining(Object.keys(SEARCH_INDEXES)));
    expect(built).toEqual([a.searchIndexBuild!.indexes]);
    // every full-text index there was (the rum one too, when the server has the extension) dropped and rebuilt
    expect([...a.searchIndexBuild!.indexes].sort()).toEqual(Object.keys(freshDefs).sort());
    expect(b.searchIndexBuild).toBeNull();
    expect(await indexDefs(bulk)).toEqual(freshDefs);
    expect(Object.keys(freshDefs)).toEqual(expect.arrayContaining(Object.keys(SEARCH_INDEXES)));
  });

  it('puts the indexes back when the import fails midway', async () => {
    const file = writePapers(bulk.dir, 'more.jsonl', 600, 1000, ['{"id": "hostile", "title": ', 'not json']);
    let batches = 0;
    await expect(
      importFiles(
        bulk,
        [file],
        options(bulk, {
          bulkLoad: true,
          afterBatch: () => {
            if (++batches === 2) throw new Error('injected failure after two batches');
          },
        }),
      ),
    ).rejects.toThrow('injected failure');
    if (TEST_ENGINE === 'postgres') expect(await indexDefs(bulk)).toEqual(freshDefs);
    // what was committed is searchable, and the rest comes with the next run
    const again = await importFiles(bulk, [file], options(bulk, { bulkLoad: true }));
    expect(again).toMatchObject({ inserted: 200, unchanged: 200, rejected: 2 });
    if (TEST_ENGINE === 'postgres') expect(await indexDefs(bulk)).toEqual(freshDefs);
  });

  it('puts the indexes back when Ctrl-C stops the import after a batch', async () => {
    const file = writePapers(bulk.dir, 'stopped.jsonl', 2000, 2300);
    let batches = 0;
    const r = await importFiles(
      bulk,
      [file],
      options(bulk, { bulkLoad: true, shouldStop: () => ++batches >= 1 }),
    );
    expect(r).toMatchObject({ interrupted: true, inserted: 100 });
    if (TEST_ENGINE === 'postgres') expect(await indexDefs(bulk)).toEqual(freshDefs);
  });

  itOnPostgres('gets a dropped index back at the next start (a killed bulk import)', async () => {
    await sql`DROP INDEX papers_search`.execute(bulk.db);
    await sql`DROP INDEX papers_authors_folded`.execute(bulk.db);
    expect(Object.keys(await indexDefs(bulk))).not.toContain('papers_search');
    const told: string[] = [];
    const other = bulk.reopen();
    try {
      await migrateToLatest(other, undefined, (name) => told.push(name));
    } finally {
      await other.close();
    }
    expect(told).toEqual(['papers_search', 'papers_authors_folded']);
    expect(await indexDefs(bulk)).toEqual(freshDefs);
    // and a start with every index leaves them alone
    const quiet: string[] = [];
    await migrateToLatest(bulk, undefined, (name) => quiet.push(name));
    expect(quiet).toEqual([]);
  });

  itOnPostgres('leaves small imports into a large database incremental', async () => {
    const file = writePapers(bulk.dir, 'few.jsonl', 1000, 1010);
    const r = await importFiles(bulk, [file], options(bulk));
    expect(r).toMatchObject({ inserted: 10, searchIndexBuild: null });
  });
});

function progressSpy(built: string[][]): ImportOptions['progress'] {
  return {
    start() {},
    advance() {},
    stop() {},
    buildingSearchIndex: (indexes) => built.push(indexes),
  };
}
