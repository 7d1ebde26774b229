import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../src/db/connect.ts';
import * as rowLayout from '../src/db/migrations/0008_row_layout.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { rewriteSearchVectors } from '../src/search/reindex.postgres.ts';
import { searchPapersPostgres } from '../src/search/search.postgres.ts';
import { NO_FILTERS } from '../src/search/search.store.ts';
import { paperRecord, seedPapers } from './helpers/factories.ts';
import { createStoreUnderTest, type StoreUnderTest } from './helpers/store-under-test.ts';

/**
 * How PostgreSQL lays out a paper's row (the "postgres" project only): the search vector and the short fields in
 * the row, the abstract alone in TOAST (migrations 0007, 0008), and `paperboy reindex` bringing rows stored the
 * old way into that layout. Papers are the size of real ones (a 1.5 kB abstract of ~150 different words, eight
 * authors), which is what pushes a row past PostgreSQL's 2 kB toasting target.
 */
let store: StoreUnderTest;
let pgStore: PostgresStore;
let count = 0;

function realSizedPaper() {
  const i = count++;
  const words = Array.from({ length: 200 }, (_, k) => `term${(i * 31 + k * 17) % 151}x${k % 7}`);
  return paperRecord({
    id: `2402.${String(10_000 + i)}`,
    title: `Scaling sparse attention for long documents with retrieval, part ${i} of a longer series`,
    authors: Array.from({ length: 8 }, (_, k) => `Author Number${k} Surname${i}`),
    abstract: `Layout probe ${i}. ${words.join(' ')}`,
  });
}

/** Values PostgreSQL keeps in the papers table's TOAST table (live ones). */
async function toastedValues(): Promise<number> {
  const { rows } = await sql<{ toast: string }>`
    SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE relname = 'papers'`.execute(pgStore.db);
  const table = rows[0]!.toast;
  const counted = await sql<{
    n: string;
  }>`SELECT count(DISTINCT chunk_id) AS n FROM ${sql.raw(table)}`.execute(pgStore.db);
  return Number(counted.rows[0]!.n);
}

async function papersCount(): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM papers`.execute(pgStore.db);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  store = await createStoreUnderTest();
  if (store.dialect !== 'postgres') throw new Error('this file runs in the postgres project only');
  pgStore = store;
});
afterAll(async () => {
  await store.dispose();
});

describe('a paper row on PostgreSQL', () => {
  it('runs without JIT compilation on every connection (docs/decisions.md D51)', async () => {
    const settings = await Promise.all(
      Array.from({ length: 3 }, () => sql<{ jit: string }>`SHOW jit`.execute(pgStore.db)),
    );
    expect(settings.map((s) => s.rows[0]!.jit)).toEqual(['off', 'off', 'off']);
  });

  it('keeps the title, authors and dates in the row: only the abstract goes to TOAST', async () => {
    await seedPapers(store, Array.from({ length: 30 }, realSizedPaper));
    // before 0008: six values a paper (abstract, title, authors, dates, fingerprint)
    expect(await toastedValues()).toBeLessThanOrEqual(30);
  });

  it('reindex brings rows stored the old way into the row, and search still finds them', async () => {
    const columns = await sql<{ name: string }>`
      SELECT attname AS name FROM pg_attribute
      WHERE attrelid = 'papers'::regclass AND attstorage = 'm' AND atttypid = 'text'::regtype`.execute(
      pgStore.db,
    );
    // the layout before 0008: every text field EXTENDED (TOAST's default), then 40 papers stored that way
    for (const { name } of columns.rows)
      await sql`ALTER TABLE papers ALTER COLUMN ${sql.ref(name)} SET STORAGE EXTENDED`.execute(pgStore.db);
    await seedPapers(store, Array.from({ length: 40 }, realSizedPaper));
    const before = await toastedValues();
    expect(before).toBeGreaterThan(70 + 40); // the old layout really moved the short fields out
    await rowLayout.postgres(pgStore.db as never);
    const { papers } = await rewriteSearchVectors(pgStore);
    expect(papers).toBe(await papersCount());
    expect(await toastedValues()).toBeLessThanOrEqual(70);
    const found = await searchPapersPostgres(pgStore, {
      query: parseQuery('"layout probe 45"'),
      filters: NO_FILTERS,
      sort: 'relevance',
      offset: 0,
      limit: 5,
    });
    expect(found.hits.map((h) => h.paper.id)).toEqual(['2402.10045']);
    expect(found.hits[0]!.paper.title).toContain('part 45 of a longer series');
  });
});
