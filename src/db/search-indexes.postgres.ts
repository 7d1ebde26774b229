/**
 * PostgreSQL's full-text indexes over papers, defined once: migrations 0001, 0006 and 0017 create them from here, the
 * bulk import (src/ingest/bulk-load.postgres.ts) drops and re-creates them from here, and every start checks that
 * they exist (`ensureSearchIndexes`, from migrate.ts), so a bulk import killed before it could re-create them
 * never leaves search without its index for longer than until the next `paperboy` command.
 */
import { type Kysely, sql } from 'kysely';
import { RUM_INDEX, RUM_INDEX_SQL } from './rum.ts';

/** The GIN indexes every PostgreSQL database has (docs/decisions.md D63), by name. */
export const SEARCH_INDEXES = {
  // migration 0001: the weighted search vector that every search matches
  papers_search: 'CREATE INDEX IF NOT EXISTS papers_search ON papers USING GIN (search)',
  // migration 0006: author pages, accents and case folded as SQLite's FTS5 tokenizer does
  papers_authors_folded:
    "CREATE INDEX IF NOT EXISTS papers_authors_folded ON papers USING GIN (to_tsvector('simple', paperboy_fold(authors)))",
  // migration 0017: titles alone, for the title matches of common words (src/search/search.postgres.ts), as
  // SQLite's papers_title_fts (0010)
  papers_title_search:
    "CREATE INDEX IF NOT EXISTS papers_title_search ON papers USING GIN (to_tsvector('english', title))",
} as const;

export type SearchIndexName = keyof typeof SEARCH_INDEXES;

/** Memory for one index build: GIN builds are much faster when their posting lists fit; bounded for the server. */
export const INDEX_BUILD_MEMORY = '256MB';

type AnyDb = Kysely<any>;

/** Which of the given indexes are on papers now. */
export async function presentIndexes(db: AnyDb, names: readonly string[]): Promise<Set<string>> {
  const found = await sql<{ indexname: string }>`
    SELECT indexname FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = 'papers' AND indexname IN (${sql.join(names)})`.execute(
    db,
  );
  return new Set(found.rows.map((r) => r.indexname));
}

/** Builds one index (IF NOT EXISTS) in its own transaction with INDEX_BUILD_MEMORY. */
export async function buildIndex(db: AnyDb, createSql: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql.raw(`SET LOCAL maintenance_work_mem = '${INDEX_BUILD_MEMORY}'`).execute(trx);
    await sql.raw(createSql).execute(trx);
  });
}

/**
 * Makes any missing one of SEARCH_INDEXES (a bulk import killed between dropping and re-creating them); returns
 * the names it built. The optional rum index is left to ensureRumIndex (rum.ts), as before.
 */
export async function ensureSearchIndexes(
  db: AnyDb,
  onBuild: (name: SearchIndexName) => void = () => {},
): Promise<SearchIndexName[]> {
  const names = Object.keys(SEARCH_INDEXES) as SearchIndexName[];
  const present = await presentIndexes(db, names);
  const built: SearchIndexName[] = [];
  for (const name of names) {
    if (present.has(name)) continue;
    onBuild(name);
    await buildIndex(db, SEARCH_INDEXES[name]);
    built.push(name);
  }
  return built;
}

/** The definitions the bulk import re-creates: the GIN indexes, and the rum index when the database had it. */
export function bulkDroppableIndexes(): Record<string, string> {
  return { ...SEARCH_INDEXES, [RUM_INDEX]: RUM_INDEX_SQL };
}
