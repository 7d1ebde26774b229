/**
 * Compacting SQLite's full-text indexes (compaction.sqlite.ts): a store written in many transactions, as imports
 * and harvests write it, holds many segments; compaction merges them into one and every search answers exactly
 * as before; stopped halfway, the index stays whole; the import compacts after a large import only; the hourly
 * job compacts only past the threshold.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paperRecord, seedPapers } from '../../test/helpers/factories.ts';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { importFiles } from '../ingest/import.ts';
import { silentLogger } from '../log.ts';
import {
  COMPACT_FROM_SEGMENTS,
  compactFullTextIndex,
  needsCompaction,
  segmentCounts,
} from './compaction.sqlite.ts';
import { createCompactionJob } from './compaction-job.ts';
import { FTS_TABLES } from './fts5.sqlite.ts';
import { parseQuery } from './query-parse.ts';
import { searchPapers } from './search.sqlite.ts';
import { NO_FILTERS, type SearchSort } from './search.store.ts';

let store: TestStore;
beforeEach(async () => {
  store = await createTestStore();
});
afterEach(async () => {
  await store.dispose();
});

const TOPICS = ['attention', 'diffusion', 'protein folding', 'graph networks', 'retrieval'];

/**
 * Papers stored one per transaction, as harvests and edits store them (each adds a segment to each index, which
 * FTS5 merges four at a time), until an index has more than COMPACT_FROM_SEGMENTS segments. `bulky` papers
 * carry 2,000 words of their own, so that the index spans many pages and merging it takes many small steps.
 */
let next = 0;
async function fragment(bulky = false): Promise<void> {
  for (let n = 0; n < 1000 && !needsCompaction(segmentCounts(store)); n++) await storeOne(bulky);
  expect(needsCompaction(segmentCounts(store))).toBe(true);
}

async function storeOne(bulky = false): Promise<void> {
  await seedPapers(store, [record(next++, bulky)]);
}

function record(i: number, bulky = false) {
  const own = bulky ? Array.from({ length: 2000 }, (_, k) => `w${i}q${k}`).join(' ') : '';
  return paperRecord({
    id: `2402.${String(i).padStart(5, '0')}`,
    title: `${TOPICS[i % TOPICS.length]} study ${i}`,
    abstract: `We look at ${TOPICS[(i * 3) % TOPICS.length]} and ${TOPICS[(i * 7) % TOPICS.length]} in case ${i}. ${own}`,
    authors: [`Author ${i % 11}`, 'Jane Doe'],
    publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
  });
}

/** What a set of searches answers: the ids in order and their marked titles and snippets. */
function answers(): unknown[] {
  const queries = [
    'attention',
    'protein folding',
    'graph OR retrieval',
    '"graph networks" -attention',
    'author:"Author 3"',
    'zzzz',
  ];
  const sorts: SearchSort[] = ['relevance', 'date', 'upvotes'];
  return queries.flatMap((q) =>
    sorts.map((sort) =>
      searchPapers(store, { query: parseQuery(q), filters: NO_FILTERS, sort, offset: 0, limit: 50 }).hits.map(
        (h) => [h.paper.id, h.highlightedTitle, h.highlightedSummary],
      ),
    ),
  );
}

/** FTS5's own check of each index against the papers it indexes: throws on any difference. */
function checkIntegrity(): void {
  for (const table of FTS_TABLES)
    store.sqlite.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`);
}

describe('full-text index compaction', () => {
  it('merges an index written in many transactions into one segment; every search answers as before', async () => {
    // 80 papers in one transaction, then one at a time
    await seedPapers(
      store,
      Array.from({ length: 80 }, () => record(next++)),
    );
    await fragment();
    const before = segmentCounts(store);
    expect(before.papers_fts).toBeGreaterThan(1);
    expect(before.papers_title_fts).toBeGreaterThan(1);
    const expected = answers();
    expect(expected.flat().length).toBeGreaterThan(100);

    const result = await compactFullTextIndex(store);
    expect(result).toMatchObject({ before, after: { papers_fts: 1, papers_title_fts: 1 }, stopped: false });
    expect(needsCompaction(result.after)).toBe(false);
    checkIntegrity();
    expect(answers()).toEqual(expected);
    // nothing left to do: a second run changes nothing
    const again = await compactFullTextIndex(store);
    expect(again).toMatchObject({ steps: 0, after: { papers_fts: 1, papers_title_fts: 1 } });
  });

  it('stopped after a step, leaves a whole index that answers as before; the next run finishes', async () => {
    await fragment(true);
    const expected = answers();
    let steps = 0;
    const stoppedRun = await compactFullTextIndex(store, {
      pagesPerStep: 1,
      onStep: (n) => {
        steps = n;
      },
      shouldStop: () => steps >= 1,
    });
    expect(stoppedRun.stopped).toBe(true);
    expect(stoppedRun.steps).toBe(1);
    // unfinished: the merge so far sits in a segment of its own until the next steps complete it
    expect(stoppedRun.after.papers_fts).toBeGreaterThan(1);
    checkIntegrity();
    expect(answers()).toEqual(expected);

    const finished = await compactFullTextIndex(store, { pagesPerStep: 1 });
    expect(finished.steps).toBeGreaterThan(1);
    expect(finished.after).toEqual({ papers_fts: 1, papers_title_fts: 1 });
    checkIntegrity();
    expect(answers()).toEqual(expected);
  });

  it('a large import compacts at its end; a small one into a compacted index does not', async () => {
    const line = (i: number) =>
      JSON.stringify({
        id: `2403.${String(i).padStart(5, '0')}`,
        authors: 'Jane Doe, John Roe',
        title: `${TOPICS[i % TOPICS.length]} in practice ${i}`,
        categories: 'cs.LG',
        abstract: `A study of ${TOPICS[(i * 3) % TOPICS.length]}, case ${i}.`,
        versions: [{ version: 'v1', created: 'Mon, 2 Apr 2024 19:18:42 GMT' }],
        update_date: '2024-04-03',
      });
    const large = join(store.dir, 'large.jsonl');
    writeFileSync(large, Array.from({ length: 150 }, (_, i) => line(i)).join('\n'));
    const options = { batchSize: 5, reportDir: store.dir, log: silentLogger, parallel: false };
    const first = await importFiles(store, [large], options);
    expect(first.inserted).toBe(150);
    expect(first.compaction?.before.papers_fts).toBeGreaterThan(COMPACT_FROM_SEGMENTS);
    expect(first.compaction?.after).toEqual({ papers_fts: 1, papers_title_fts: 1 });
    checkIntegrity();
    const found = searchPapers(store, {
      query: parseQuery('practice'),
      filters: NO_FILTERS,
      sort: 'date',
      offset: 0,
      limit: 200,
    });
    expect(found.hits).toHaveLength(150);

    const small = join(store.dir, 'small.jsonl');
    writeFileSync(small, line(500));
    const second = await importFiles(store, [small], options);
    expect(second).toMatchObject({ inserted: 1, compaction: null });
    expect(segmentCounts(store)).toEqual({ papers_fts: 2, papers_title_fts: 2 });
  });

  it('the hourly job compacts only past the threshold', async () => {
    const job = createCompactionJob(store, silentLogger);
    for (let i = 0; i < COMPACT_FROM_SEGMENTS - 1; i++) await storeOne();
    const few = segmentCounts(store);
    expect(needsCompaction(few)).toBe(false);
    await job.run(new AbortController().signal);
    expect(segmentCounts(store)).toEqual(few);

    await fragment();
    await job.run(new AbortController().signal);
    expect(segmentCounts(store)).toEqual({ papers_fts: 1, papers_title_fts: 1 });
    checkIntegrity();
    // an aborted run does nothing
    await fragment();
    const many = segmentCounts(store);
    const aborted = new AbortController();
    aborted.abort();
    await job.run(aborted.signal);
    expect(segmentCounts(store)).toEqual(many);
  });
});
