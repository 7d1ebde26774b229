import { type Kysely, sql } from 'kysely';

/**
 * `papers.organization`: the organization Hugging Face says a paper was submitted for (its full name, as the
 * Daily Papers records carry it), answered as `organization` on the API's paper objects (docs/api.md).
 * Nullable, added at the end of the row: no rewrite of the table on either engine.
 */
export async function sqlite(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE papers ADD COLUMN organization TEXT`.execute(db);
}

export async function postgres(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE papers ADD COLUMN organization TEXT`.execute(db);
}
