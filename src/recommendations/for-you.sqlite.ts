import type BetterSqlite3 from 'better-sqlite3';
import type { ForYouData } from './for-you.store.ts';
import { mergePositives, sampleByProbes } from './for-you.store.ts';
import type { Recommendation } from './recommend.ts';

/**
 * The "for you" job's reads and writes (ForYouData, for-you.store.ts). On SQLite: prepared statements on the better-sqlite3 handle (it reads
 * hundreds of thousands of rows per run; docs/decisions.md D2); its PostgreSQL twin is for-you.postgres.ts.
 */
export function createForYouStore(sqlite: BetterSqlite3.Database): ForYouData {
  const members = sqlite.prepare<[], { user_id: number }>(
    `SELECT v.user_id FROM votes v JOIN users u ON u.id = v.user_id WHERE u.banned_at IS NULL
     UNION
     SELECT c.user_id FROM collection_papers cp JOIN collections c ON c.id = cp.collection_id
     JOIN users u ON u.id = c.user_id WHERE u.banned_at IS NULL
     ORDER BY 1`,
  );
  const upvoted = sqlite.prepare<[number], { paper_id: string }>(
    `SELECT v.paper_id FROM votes v JOIN papers p ON p.id = v.paper_id
     WHERE v.user_id = ? AND p.hidden_at IS NULL ORDER BY v.created_at DESC LIMIT 1000`,
  );
  const collected = sqlite.prepare<[number], { paper_id: string }>(
    `SELECT DISTINCT cp.paper_id FROM collection_papers cp JOIN collections c ON c.id = cp.collection_id
     JOIN papers p ON p.id = cp.paper_id
     WHERE c.user_id = ? AND p.hidden_at IS NULL ORDER BY cp.added_at DESC LIMIT 1000`,
  );
  const newest = sqlite.prepare<[number], { id: string; title: string; abstract: string }>(
    `SELECT id, title, abstract FROM papers WHERE hidden_at IS NULL
     ORDER BY published_at DESC, pk DESC LIMIT ?`,
  );
  const pkRange = sqlite.prepare<[], { lo: number | null; hi: number | null }>(
    'SELECT min(pk) AS lo, max(pk) AS hi FROM papers',
  );
  const atOrAfter = sqlite.prepare<[number], { id: string; title: string; abstract: string }>(
    'SELECT id, title, abstract FROM papers WHERE pk >= ? AND hidden_at IS NULL ORDER BY pk LIMIT 1',
  );
  const state = sqlite.prepare<[number], { positives_hash: string }>(
    'SELECT positives_hash FROM recommendation_state WHERE user_id = ?',
  );
  const clear = sqlite.prepare('DELETE FROM recommendations WHERE user_id = ?');
  const insert = sqlite.prepare(
    `INSERT INTO recommendations (user_id, rank, paper_id, score, reason_kind, reason_paper_id, computed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const saveState = sqlite.prepare(
    `INSERT INTO recommendation_state (user_id, positives_hash, positives, computed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET positives_hash = excluded.positives_hash,
       positives = excluded.positives, computed_at = excluded.computed_at`,
  );
  const save = sqlite.transaction(
    (userId: number, recs: Recommendation[], hash: string, positives: number, at: string) => {
      clear.run(userId);
      recs.forEach((r, i) => {
        insert.run(userId, i + 1, r.paperId, r.score, r.reasonKind, r.reasonPaperId, at);
      });
      saveState.run(userId, hash, positives, at);
    },
  ).immediate;
  const textStatements = new Map<
    number,
    BetterSqlite3.Statement<string[], { id: string; title: string; abstract: string }>
  >();

  return {
    members: async () => members.all().map((r) => r.user_id),
    positives: async (userId) =>
      mergePositives(
        upvoted.all(userId).map((r) => r.paper_id),
        collected.all(userId).map((r) => r.paper_id),
      ),
    async texts(ids) {
      const out = new Map<string, string>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        let statement = textStatements.get(chunk.length);
        if (!statement) {
          statement = sqlite.prepare(
            `SELECT id, title, abstract FROM papers WHERE id IN (${chunk.map(() => '?').join(',')})`,
          );
          textStatements.set(chunk.length, statement);
        }
        for (const r of statement.all(...chunk)) out.set(r.id, `${r.title}\n${r.abstract}`);
      }
      return out;
    },
    candidates: async (limit) =>
      newest.all(limit).map((r) => ({ id: r.id, text: `${r.title}\n${r.abstract}` })),
    sample: (n, random) =>
      sampleByProbes(pkRange.get() ?? { lo: null, hi: null }, n, random, async (pk) => atOrAfter.get(pk)),
    lastHash: async (userId) => state.get(userId)?.positives_hash ?? null,
    save: async (userId, recs, hash, positives, at) => save(userId, recs, hash, positives, at),
  };
}
