import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { KeyphraseWriter, PaperText } from './keyphrases.store.ts';

/** The keywords job's reads and writes on PostgreSQL: the twin of keyphrases.sqlite.ts, through Kysely. */
export function createPostgresKeyphraseStore(db: Kysely<Database>): KeyphraseWriter {
  return {
    async pending(afterPk, limit) {
      const rows = await db
        .selectFrom('papers as p')
        .leftJoin('paper_keyphrases as k', 'k.paper_pk', 'p.pk')
        .select(['p.pk', 'p.title', 'p.abstract', 'p.fingerprint'])
        .where('p.pk', '>', afterPk)
        .where((eb) =>
          eb.or([eb('k.paper_pk', 'is', null), eb('k.fingerprint', '!=', eb.ref('p.fingerprint'))]),
        )
        .orderBy('p.pk')
        .limit(limit)
        .execute();
      return rows.map((r): PaperText => ({ ...r, pk: Number(r.pk) }));
    },
    async write(rows) {
      if (rows.length === 0) return;
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('paper_keyphrases')
          .values(
            rows.map((r) => ({
              paper_pk: r.pk,
              fingerprint: r.fingerprint,
              phrases: JSON.stringify(r.phrases),
            })),
          )
          .onConflict((oc) =>
            oc.column('paper_pk').doUpdateSet({
              fingerprint: sql`excluded.fingerprint`,
              phrases: sql`excluded.phrases`,
            }),
          )
          .execute();
        await trx
          .deleteFrom('keyphrase_index')
          .where(
            'paper_pk',
            'in',
            rows.map((r) => r.pk),
          )
          .execute();
        const index = rows.flatMap((r) =>
          [...new Set(r.phrases)].map((phrase) => ({ phrase, paper_pk: r.pk })),
        );
        for (let i = 0; i < index.length; i += 5000) {
          await trx
            .insertInto('keyphrase_index')
            .values(index.slice(i, i + 5000))
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
      });
    },
  };
}
