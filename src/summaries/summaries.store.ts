import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Featured papers without a summary, newest features first: the ones readers see. */
export async function papersToSummarise(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('features')
    .innerJoin('papers', 'papers.id', 'features.paper_id')
    .select(['papers.id', 'papers.title', 'papers.abstract'])
    .where('papers.ai_summary', 'is', null)
    .where('papers.hidden_at', 'is', null)
    .where('papers.abstract', '!=', '')
    .orderBy('features.submitted_at', 'desc')
    .limit(limit)
    .execute();
}

/** Stores a summary written here, labelled with its model; never overwrites one already there. */
export async function saveSummary(db: Kysely<Database>, paperId: string, summary: string, model: string) {
  await db
    .updateTable('papers')
    .set({ ai_summary: summary, ai_summary_model: model, ai_summary_origin: 'local' })
    .where('id', '=', paperId)
    .where('ai_summary', 'is', null)
    .execute();
}
