import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataFile } from '../../test/helpers/shared-data.ts';
import {
  count,
  createStoreUnderTest,
  row,
  type StoreUnderTest,
  sql,
  TEST_ENGINE,
} from '../../test/helpers/store-under-test.ts';
import { silentLogger } from '../log.ts';
import { findPaper } from '../papers/papers.store.ts';
import { importFiles } from './import.ts';

let store: StoreUnderTest;
beforeAll(async () => {
  store = await createStoreUnderTest();
});
afterAll(async () => {
  await store.dispose();
});

const run = (paths: string[]) =>
  importFiles(store, paths, { batchSize: 250, reportDir: join(store.dir, 'reports'), log: silentLogger });

/** The import on the store under test (SQLite, and PostgreSQL in the postgres project): the same answers. */
describe(`import on ${TEST_ENGINE}`, () => {
  it('imports real arXiv and HF files, idempotently, with HF filling only gaps', async () => {
    const arxiv = sharedDataFile('arxiv_metadata/arxiv_cs_CL_LG_AI_IR_2026-06-23_to_2026-07-01.jsonl');
    const head = sharedDataFile('arxiv_metadata/kaggle_arxiv-metadata-oai-snapshot_head200.jsonl');
    const hf = sharedDataFile('hf_daily_papers/hf_daily_papers_last30days_sample.jsonl');
    if (!arxiv || !head || !hf) return;
    expect(await run([arxiv, head])).toMatchObject({ read: 1099, inserted: 1099, rejected: 0 });
    expect(await run([arxiv, head])).toMatchObject({ inserted: 0, updated: 0, unchanged: 1099 });
    const first = await run([hf]);
    expect(first).toMatchObject({ read: 600, rejected: 0 });
    expect(await run([hf])).toMatchObject({ inserted: 0, updated: 0, unchanged: 600 });
    expect(await findPaper(store.db, '0704.0001')).toMatchObject({
      authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan'],
      version: 2,
      categories: ['hep-ph'],
    });
    const ids = (file: string) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id);
    const known = new Set([...ids(arxiv), ...ids(head)]);
    const hfOnly = new Set(ids(hf).filter((id) => !known.has(id)));
    expect(await count(store, sql<{ n: number }>`SELECT count(*) AS n FROM papers`)).toBe(
      known.size + hfOnly.size,
    );
    expect(await count(store, sql<{ n: number }>`SELECT count(*) AS n FROM features`)).toBe(
      new Set(ids(hf)).size,
    );
    const categories = await row(
      store,
      sql<{ n: number }>`SELECT count(*) AS n FROM paper_categories WHERE category = 'cs.CL'`,
    );
    expect(categories!.n).toBeGreaterThan(300);
  });
});
