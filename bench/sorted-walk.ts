/**
 * Date-sorted search at scale, the two exact ways side by side on one database (sorted.sqlite.ts): every match
 * looked up in `papers` and sorted there, against FTS5's matches as a set and the date index walked by its keys.
 * Prints each one's time (three rounds, the first from a cold page cache) and whether the pages agree.
 * Needs the database bench/scale.ts builds. Usage: npx tsx bench/sorted-walk.ts [--papers 2700000]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { ftsMatch } from '../src/search/fts5.sqlite.ts';
import { parseQuery } from '../src/search/query-parse.ts';
import { OUT } from './shared.ts';

const { values } = parseArgs({ options: { papers: { type: 'string', default: '2700000' } } });
const db = new Database(join(OUT, `scale-${Number(values.papers)}.db`), {
  readonly: true,
  fileMustExist: true,
});
db.pragma('mmap_size = 2147483648');
const PAGE = 21;
const ORDER = 'p.published_at DESC, p.pk DESC';
const lookedUp = db
  .prepare(
    `SELECT papers_fts.rowid FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
     WHERE papers_fts MATCH ? AND p.hidden_at IS NULL ORDER BY ${ORDER} LIMIT ${PAGE}`,
  )
  .pluck();
const matches = db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?').pluck();
const walk = db.prepare(`SELECT p.pk FROM papers p ORDER BY ${ORDER}`).pluck();
const hidden = db.prepare('SELECT hidden_at IS NOT NULL FROM papers WHERE pk = ?').pluck();

function walked(match: string) {
  const read = performance.now();
  const set = new Set(matches.all(match) as number[]);
  const setMs = performance.now() - read;
  const keys: number[] = [];
  let rows = 0;
  for (const pk of walk.iterate() as IterableIterator<number>) {
    rows++;
    if (set.has(pk) && !hidden.get(pk)) keys.push(pk);
    if (keys.length >= PAGE) break;
  }
  return { keys, matches: set.size, rows, setMs };
}

const time = <T>(f: () => T): [T, number] => {
  const started = performance.now();
  const value = f();
  return [value, performance.now() - started];
};

for (const q of ['graph neural networks', 'hyperbolic', 'quantum error correction', 'protein folding']) {
  const match = ftsMatch(parseQuery(q), 'all')!;
  for (let round = 1; round <= 3; round++) {
    const [sorted, tSorted] = time(() => lookedUp.all(match) as number[]);
    const [w, tWalk] = time(() => walked(match));
    console.log(
      `"${q}" round ${round}: ${w.matches} matches; looked up and sorted ${tSorted.toFixed(1)} ms; ` +
        `set + index walk (${w.rows} rows) ${tWalk.toFixed(1)} ms (the set ${w.setMs.toFixed(1)} ms); same page: ${JSON.stringify(sorted) === JSON.stringify(w.keys)}`,
    );
  }
}
