/**
 * Experiment for issue 18: where the SQLite import's time goes. Parses 100,000 generated papers first (not
 * timed), then times the real import writer (import.sqlite.ts) alone on a fresh database, in one of these modes:
 *   full      — as `paperboy import` writes: rows, categories and both FTS5 indexes in each batch's transaction;
 *   noauto    — the same with FTS5's automerge off, the segments merged once at the end (compaction.sqlite.ts);
 *   deferred  — the FTS5 tables swapped for plain tables of the same columns, their triggers dropped (so the
 *               writer's statements run but nothing is tokenized), then the real FTS5 tables made again and filled by FTS5's 'rebuild', the triggers back.
 * Prints the writer's seconds, the rebuild's or compaction's, and papers/s over both.
 * Usage: npx tsx bench/experiments/sqlite-import-fts.ts [full|noauto|deferred] [batch size, default 5000]
 * Needs bench/out/papers-200000.jsonl (npx tsx bench/scale.ts --papers 200000 makes it, or bench/generate.ts).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type SqliteStore } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createSqliteImportWriter } from '../../src/ingest/import.sqlite.ts';
import { type ArxivItem, parseFile } from '../../src/ingest/parse-file.ts';
import { compactIfFragmented } from '../../src/search/compaction.sqlite.ts';
import { OUT } from '../shared.ts';

const PAPERS = 100_000;
const mode = process.argv[2] ?? 'full';
const batchSize = Number(process.argv[3] ?? 5000);
const batches: ArxivItem[][] = [];
for await (const batch of parseFile(join(OUT, 'papers-200000.jsonl'), undefined, batchSize)) {
  if (batch.format === 'kaggle') batches.push(batch.items);
  if (batches.length * batchSize >= PAPERS) break;
}

const path = join(OUT, `import-fts-${mode}.db`);
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
const store = openStore(`sqlite:${path}`) as SqliteStore;
await migrateToLatest(store);
const db = store.sqlite;
const definitions = db
  .prepare("SELECT name, sql FROM sqlite_master WHERE name IN ('papers_fts', 'papers_title_fts')")
  .all() as { name: string; sql: string }[];
if (mode === 'noauto')
  for (const { name } of definitions) db.exec(`INSERT INTO ${name} (${name}, rank) VALUES ('automerge', 0)`);
const triggers = db
  .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%_fts%'")
  .all() as { name: string; sql: string }[];
if (mode === 'deferred') {
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
  db.exec('DROP TABLE papers_fts; DROP TABLE papers_title_fts');
  db.exec('CREATE TABLE papers_fts (rowid INTEGER PRIMARY KEY, title, abstract, authors, categories)');
  db.exec('CREATE TABLE papers_title_fts (rowid INTEGER PRIMARY KEY, title)');
}
const writer = createSqliteImportWriter(db);
const started = performance.now();
for (const batch of batches) writer.writeArxivBatch(batch);
const write = (performance.now() - started) / 1000;
const after = performance.now();
if (mode === 'deferred') {
  db.exec('DROP TABLE papers_fts; DROP TABLE papers_title_fts');
  for (const { name, sql } of definitions) {
    db.exec(sql);
    db.exec(`INSERT INTO ${name} (${name}) VALUES ('rebuild')`);
  }
  for (const { sql } of triggers) db.exec(sql);
} else await compactIfFragmented(store, {});
const finish = (performance.now() - after) / 1000;
console.log(
  `${mode}, batches of ${batchSize}: writer ${write.toFixed(1)} s, ${mode === 'deferred' ? 'rebuild' : 'compaction'} ${finish.toFixed(1)} s, ${Math.round(PAPERS / (write + finish))} papers/s`,
);
await store.close();
