import BetterSqlite3 from 'better-sqlite3';

/**
 * What a harvest leaves in the database, as plain rows: papers, categories, the search index, deletions and
 * the harvest state. `withClock: false` leaves out the columns that hold the wall-clock time of the write, to
 * compare two databases written at different times.
 */
export function dumpHarvest(path: string, options: { withClock: boolean }) {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const clockColumns = new Set([
      'created_at',
      'modified_at',
      'first_seen_at',
      'updated_at',
      'last_success_at',
    ]);
    const rows = (sql: string) =>
      (db.prepare(sql).all() as Record<string, unknown>[]).map((row) =>
        options.withClock
          ? row
          : Object.fromEntries(Object.entries(row).filter(([k]) => !clockColumns.has(k))),
      );
    return {
      papers: rows('SELECT * FROM papers ORDER BY pk'),
      categories: rows('SELECT * FROM paper_categories ORDER BY paper_pk, category'),
      search: rows('SELECT rowid, title, abstract, authors, categories FROM papers_fts ORDER BY rowid'),
      deletions: rows('SELECT * FROM arxiv_deletions ORDER BY paper_id'),
      state: rows('SELECT * FROM harvest_state ORDER BY scope, set_spec'),
    };
  } finally {
    db.close();
  }
}
