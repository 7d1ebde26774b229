import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Paper } from '../papers/paper.ts';
import { PAPER_COLUMNS, paperFromRow } from '../papers/papers.store.ts';

/** A paper's keyphrases, best first (empty until the keywords job has seen it). */
export async function keyphrasesOf(db: Kysely<Database>, paperId: string): Promise<string[]> {
  const row = await db
    .selectFrom('paper_keyphrases')
    .innerJoin('papers', 'papers.pk', 'paper_keyphrases.paper_pk')
    .select('paper_keyphrases.phrases')
    .where('papers.id', '=', paperId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.phrases) as string[]) : [];
}

/** The newest papers with a keyphrase (a topic); hidden papers never appear. */
export async function papersWithPhrase(
  db: Kysely<Database>,
  phrase: string,
  limit: number,
): Promise<Paper[]> {
  const rows = await db
    .selectFrom('keyphrase_index')
    .innerJoin('papers', 'papers.pk', 'keyphrase_index.paper_pk')
    .select(PAPER_COLUMNS)
    .where('keyphrase_index.phrase', '=', phrase)
    .where('papers.hidden_at', 'is', null)
    .orderBy('papers.published_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(paperFromRow);
}

/** Which of these papers have the keyphrase (for topic filters on lists and feeds). */
export async function withPhrase(
  db: Kysely<Database>,
  phrase: string,
  paperIds: string[],
): Promise<Set<string>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('keyphrase_index')
    .innerJoin('papers', 'papers.pk', 'keyphrase_index.paper_pk')
    .select('papers.id')
    .where('keyphrase_index.phrase', '=', phrase)
    .where('papers.id', 'in', paperIds.slice(0, 1000))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The first `n` keyphrases of each of these papers that has some (topic chips on cards): one query a page. */
export async function topPhrasesAmong(
  db: Kysely<Database>,
  paperIds: string[],
  n: number,
): Promise<Map<string, string[]>> {
  if (paperIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('paper_keyphrases')
    .innerJoin('papers', 'papers.pk', 'paper_keyphrases.paper_pk')
    .select(['papers.id', 'paper_keyphrases.phrases'])
    .where('papers.id', 'in', paperIds.slice(0, 1000))
    .execute();
  return new Map(rows.map((r) => [r.id, (JSON.parse(r.phrases) as string[]).slice(0, n)]));
}

/** What the keywords job reads and writes, on either engine (keyphrases.sqlite.ts, keyphrases.postgres.ts). */
export interface PaperText {
  pk: number;
  title: string;
  abstract: string;
  fingerprint: string;
}

export interface PaperPhrases {
  pk: number;
  fingerprint: string;
  phrases: string[];
}

export interface KeyphraseWriter {
  /** papers after `afterPk` with no keyphrases yet or changed since, in pk order */
  pending(afterPk: number, limit: number): Promise<PaperText[]>;
  /** a batch's phrases and their index rows, all or nothing */
  write(rows: PaperPhrases[]): Promise<void>;
}

/** The keyphrases of the papers with afterPk < pk ≤ throughPk that have some (the notify job's topics). */
export async function keyphrasesInRange(
  db: Kysely<Database>,
  afterPk: number,
  throughPk: number,
): Promise<{ pk: number; phrases: string[] }[]> {
  if (throughPk <= afterPk) return [];
  const rows = await db
    .selectFrom('paper_keyphrases')
    .select(['paper_pk', 'phrases'])
    .where('paper_pk', '>', afterPk)
    .where('paper_pk', '<=', throughPk)
    .execute();
  return rows.map((r) => ({ pk: Number(r.paper_pk), phrases: JSON.parse(r.phrases) as string[] }));
}
