import type BetterSqlite3 from 'better-sqlite3';
import type { Recommendation } from './recommend.ts';

/**
 * What the "for you" job reads and writes. On SQLite: prepared statements on the better-sqlite3 handle (it reads
 * hundreds of thousands of rows per run; docs/decisions.md D2); its PostgreSQL twin is for-you-postgres.store.ts.
 */
export interface PaperText {
  id: string;
  text: string;
}

export type PositiveKind = 'upvoted' | 'collected';

export interface ForYouData {
  /** members with at least one upvote or collected paper (banned members left out) */
  members(): Promise<number[]>;
  /** a member's positives: upvoted papers, then collected ones not upvoted */
  positives(userId: number): Promise<{ id: string; kind: PositiveKind }[]>;
  /** title and abstract of papers, by id */
  texts(ids: string[]): Promise<Map<string, string>>;
  /** the newest papers: what recommendations are drawn from */
  candidates(limit: number): Promise<PaperText[]>;
  /** about `n` papers drawn at random from the whole store (probing random keys), for negatives */
  sample(n: number, random: () => number): Promise<PaperText[]>;
  lastHash(userId: number): Promise<string | null>;
  /** a member's recommendations and state, replacing the last ones in one transaction */
  save(userId: number, recs: Recommendation[], hash: string, positives: number, at: string): Promise<void>;
}

/** Upvoted first, then collected papers not upvoted. */
export function mergePositives(upvoted: string[], collected: string[]): { id: string; kind: PositiveKind }[] {
  const seen = new Set(upvoted);
  const out: { id: string; kind: PositiveKind }[] = upvoted.map((id) => ({ id, kind: 'upvoted' }));
  for (const id of collected) if (!seen.has(id)) out.push({ id, kind: 'collected' });
  return out;
}

/** Random probes into [lo, hi] until `n` distinct papers are found (or 3n probes are spent). */
export async function sampleByProbes(
  range: { lo: number | null; hi: number | null },
  n: number,
  random: () => number,
  atOrAfter: (pk: number) => Promise<{ id: string; title: string; abstract: string } | undefined>,
): Promise<PaperText[]> {
  const { lo, hi } = range;
  if (lo === null || hi === null) return [];
  const out = new Map<string, string>();
  for (let tries = 0; out.size < n && tries < n * 3; tries++) {
    const r = await atOrAfter(lo + Math.floor(random() * (hi - lo + 1)));
    if (r) out.set(r.id, `${r.title}\n${r.abstract}`);
  }
  return [...out].map(([id, text]) => ({ id, text }));
}

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
