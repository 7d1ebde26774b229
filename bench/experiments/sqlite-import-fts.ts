import { join } from 'node:path';
import { openStore, type SqliteStore } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createSqliteImportWriter } from '../../src/ingest/import.sqlite.ts';
import { type ArxivItem, parseFile } from '../../src/ingest/parse-file.ts';
import { compactIfFragmented } from '../../src/search/compaction.sqlite.ts';
import { OUT, removeSqliteFiles } from '../shared.ts';

const PAPERS = 100_000;
const mode = process.argv[2] ?? 'full';
const batchSize = Number(process.argv[3] ?? 5000);
const batches: ArxivItem[][] = [];
for await (const batch of parseFile(join(OUT, 'papers-200000.jsonl'), undefined, batchSize)) {
  if (batch.format === 'kaggle') batches.push(batch.items);
  if (batches.length * batchSize >= PAPERS) break;
}

const path = join(OUT, `import-fts-${mode}.db`);
removeSqliteFiles(path);
const store = openStore(`sqlite:${path}`) as SqliteStore;
await migrateToLatest(store);
const db = store.sqlite;
const definitions = db
  .prepare("SELECT name, sql FROM sqlite_master WHERE name IN ('papers_fts', 'papers_title_fts')")
  .all() as { name: string; sql: string }[];
if (mode === 'noauto')
  for (const { name } of definitions) db.exec(`INSERT INTO ${name} (${name}, rank) VALUES ('automerge', 0)`);
const triggers = db
  .prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (instr(sql, 'papers_fts') OR instr(sql, 'papers_title_fts'))",
  )
  .all() as { name: string; sql: string }[];
/** Each index's settings (the migrations' hashsize and pgsz), made again with it. */
const settings = new Map(
  definitions.map(({ name }) => [
    name,
    db.prepare(`SELECT k, v FROM ${name}_config WHERE k <> 'version'`).all() as { k: string; v: unknown }[],
  ]),
);
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
    // FTS5 takes no bound parameters in its configuration commands: the settings are its own, names and numbers
    for (const { k, v } of settings.get(name) ?? [])
      if (/^[a-z-]+$/.test(k)) db.exec(`INSERT INTO ${name} (${name}, rank) VALUES ('${k}', ${Number(v)})`);
    db.exec(`INSERT INTO ${name} (${name}) VALUES ('rebuild')`);
  }
  for (const { sql } of triggers) db.exec(sql);
} else await compactIfFragmented(store, {});
const finish = (performance.now() - after) / 1000;
console.log(
  `${mode}, batches of ${batchSize}: writer ${write.toFixed(1)} s, ${mode === 'deferred' ? 'rebuild' : 'compaction'} ${finish.toFixed(1)} s, ${Math.round(PAPERS / (write + finish))} papers/s`,
);
await store.close();
