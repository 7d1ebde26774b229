import { type Kysely, sql } from 'kysely';

/** SQLite: nothing to do; it has no storage setting per column (a row's fields are kept together, with no TOAST). */
export async function sqlite(): Promise<void> {}

/**
 * PostgreSQL: keep a paper's short text fields in its row. PostgreSQL moves values to TOAST, biggest first,
 * until a row is under about 2 kB; with the search vector kept in the row (0007, ~2 kB on its own for an
 * abstract's worth of words), the abstract going out was not enough, so every other field over 24 bytes went too
 * — title, authors, dates, fingerprint — each to its own TOAST entry (six a paper at 1M papers). Reading a card's
 * title or date then cost a TOAST lookup each, and sorting matches by date one per comparison (150 ms for 4,500
 * matches). Storage MAIN keeps them in the row (compressed first, moved out only past ~8 kB); the abstract keeps
 * the default (EXTENDED) and is the one value that goes to TOAST. Measured on 200,000 papers: docs/benchmarks.md.
 * As with 0007, rows already stored keep their layout until `paperboy reindex` rewrites them in short batches.
 */
const INLINE = [
  'id',
  'title',
  'authors',
  'categories',
  'primary_category',
  'published_at',
  'updated_at',
  'comments',
  'journal_ref',
  'doi',
  'github_repo',
  'project_page',
  'ai_summary',
  'ai_summary_model',
  'ai_keywords',
  'fingerprint',
  'created_at',
  'modified_at',
  'hidden_at',
  'ai_summary_origin',
];

export async function postgres(db: Kysely<unknown>): Promise<void> {
  const changes = INLINE.map((column) => sql`ALTER COLUMN ${sql.ref(column)} SET STORAGE MAIN`);
  await sql`ALTER TABLE papers ${sql.join(changes)}`.execute(db);
}
