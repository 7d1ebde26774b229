import type BetterSqlite3 from 'better-sqlite3';
import { trendingScore } from '../ranking/trending.ts';
import type { VoteResult } from './votes.store.ts';

/**
 * Casts or withdraws one member's upvote for a paper. One row per (member, paper) (primary key), and the
 * paper's count is recounted from the votes table inside the same transaction (imported baseline + votes),
 * never incremented, so concurrent and repeated requests cannot drift it (the Lobsters rule); the feature's
 * trending score follows in the same transaction. Returns null for an unknown or hidden paper.
 * Prepared statements in one synchronous transaction, with no await between them: votes are the hottest
 * write path (docs/decisions.md D22).
 */
export function createSqliteVoter(sqlite: BetterSqlite3.Database) {
  const visible = sqlite.prepare<[string], { imported_upvotes: number }>(
    'SELECT imported_upvotes FROM papers WHERE id = ? AND hidden_at IS NULL',
  );
  const insert = sqlite.prepare(
    'INSERT INTO votes (user_id, paper_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const remove = sqlite.prepare('DELETE FROM votes WHERE user_id = ? AND paper_id = ?');
  const count = sqlite.prepare<[string], number>('SELECT count(*) FROM votes WHERE paper_id = ?').pluck();
  const current = sqlite.prepare<[string], number>('SELECT upvotes FROM papers WHERE id = ?').pluck();
  const setCount = sqlite.prepare('UPDATE papers SET upvotes = ? WHERE id = ?');
  const feature = sqlite
    .prepare<[string], string>('SELECT submitted_at FROM features WHERE paper_id = ?')
    .pluck();
  const setScore = sqlite.prepare('UPDATE features SET trending_score = ? WHERE paper_id = ?');

  return sqlite.transaction((userId: number, paperId: string, on: boolean): VoteResult | null => {
    const paper = visible.get(paperId);
    if (!paper) return null;
    const changed = on
      ? insert.run(userId, paperId, new Date().toISOString()).changes
      : remove.run(userId, paperId).changes;
    if (changed === 0) return { upvotes: current.get(paperId)!, upvoted: on };
    const upvotes = paper.imported_upvotes + count.get(paperId)!;
    setCount.run(upvotes, paperId);
    const submittedAt = feature.get(paperId);
    if (submittedAt) setScore.run(trendingScore(upvotes, submittedAt), paperId);
    return { upvotes, upvoted: on };
  }).immediate;
}
