// "For you" on real data: a member who upvoted papers of one topic gets that topic ranked first.
// The papers are the Hugging Face Daily Papers of 2024–2026 (../shared/data/hf_daily_papers, ~9,900 real
// titles and abstracts). A topic is chosen by a word: the member upvotes 30 random papers with the word in their
// *title* (training); a recommendation counts as on-topic when the word is in the title or the abstract of a
// paper the member did not upvote (held out, among all ~9,850 others). The model sees titles and abstracts, so
// the word is one of its features, as it would be for a real member; what is measured is whether held-out
// papers of the topic come first, against the topic's base rate.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/ingest/import.ts';
import { silentLogger } from '../src/log.ts';
import { createForYouStore } from '../src/recommendations/for-you.sqlite.ts';
import { runForYou } from '../src/recommendations/for-you-job.ts';
import { sharedDataFile } from './helpers/shared-data.ts';
import { createTestStore, type TestStore } from './helpers/store.ts';

const FILES = ['2024', '2025', '2026'].map((y) =>
  sharedDataFile(`hf_daily_papers/hf_daily_papers_${y}.jsonl.gz`),
);
const available = FILES.every((f) => f !== null);
let store: TestStore;

beforeAll(async () => {
  if (!available) return;
  store = await createTestStore();
  await importFiles(store, FILES as string[], {
    batchSize: 1000,
    reportDir: join(store.dir, 'reports'),
    log: silentLogger,
    parallel: false,
  });
}, 120_000);
afterAll(() => store?.dispose());

/** A fixed shuffle, so the split is the same on every run. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function topicPapers(pattern: RegExp, inAbstract = false): string[] {
  const rows = store.sqlite.prepare('SELECT id, title, abstract FROM papers ORDER BY id').all() as {
    id: string;
    title: string;
    abstract: string;
  }[];
  return rows
    .filter((r) => pattern.test(r.title) || (inAbstract && pattern.test(r.abstract)))
    .map((r) => r.id);
}

let users = 0;
function memberUpvoting(ids: string[]): number {
  users++;
  const user = store.sqlite
    .prepare(
      `INSERT INTO users (username, email, password_hash, role, created_at) VALUES (?, ?, 'x', 'member', '2026-01-01') RETURNING id`,
    )
    .get(`reader${users}`, `reader${users}@example.org`) as { id: number };
  const vote = store.sqlite.prepare(
    `INSERT INTO votes (user_id, paper_id, created_at) VALUES (?, ?, '2026-01-01')`,
  );
  for (const id of ids) vote.run(user.id, id);
  return user.id;
}

const topics: [string, RegExp][] = [
  ['robots', /\brobot(s|ic|ics)?\b/i],
  ['speech and audio', /\b(speech|audio)\b/i],
  ['theorem proving and math', /\b(theorem|mathematical|math)\b/i],
];

describe.skipIf(!available)('for you on real Hugging Face papers', () => {
  for (const [name, pattern] of topics) {
    it(`ranks ${name} first for a member who upvoted ${name} papers`, async () => {
      const all = topicPapers(pattern);
      const total = (store.sqlite.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
      expect(all.length).toBeGreaterThan(60);
      const train = shuffled(all, 7).slice(0, 30);
      const heldOut = new Set(topicPapers(pattern, true).filter((id) => !train.includes(id)));
      const userId = memberUpvoting(train);
      await runForYou(
        store,
        { FOR_YOU_CANDIDATES: 20_000, FOR_YOU_NEGATIVES: 1_000, FOR_YOU_RESULTS: 20 },
        { userIds: [userId] },
      );
      const recs = store.sqlite
        .prepare(
          'SELECT paper_id, reason_paper_id, reason_kind FROM recommendations WHERE user_id = ? ORDER BY rank',
        )
        .all(userId) as { paper_id: string; reason_paper_id: string; reason_kind: string }[];
      expect(recs).toHaveLength(20);
      // never the member's own upvotes; every reason is one of them
      expect(recs.some((r) => train.includes(r.paper_id))).toBe(false);
      expect(recs.every((r) => train.includes(r.reason_paper_id) && r.reason_kind === 'upvoted')).toBe(true);
      const hits = recs.map((r) => heldOut.has(r.paper_id));
      const baseRate = heldOut.size / (total - train.length);
      const precisionAt10 = hits.slice(0, 10).filter(Boolean).length / 10;
      console.log(
        `${name}: ${all.length} titles, ${heldOut.size} held out of ${total} (base rate ${(baseRate * 100).toFixed(1)} %), precision@10 ${precisionAt10}, first ${hits[0]}`,
      );
      expect(hits[0]).toBe(true);
      expect(precisionAt10).toBeGreaterThanOrEqual(0.6);
      expect(precisionAt10).toBeGreaterThan(baseRate * 5);
    }, 60_000);
  }

  it('skips a member whose upvotes did not change, and recomputes when they do', async () => {
    const userId = memberUpvoting(topicPapers(/\brobot/i).slice(0, 5));
    const settings = { FOR_YOU_CANDIDATES: 3_000, FOR_YOU_NEGATIVES: 500, FOR_YOU_RESULTS: 10 };
    expect((await runForYou(store, settings, { userIds: [userId] })).members).toBe(1);
    const again = await runForYou(store, settings, { userIds: [userId] });
    expect(again).toMatchObject({ members: 0, skipped: 1 });
    store.sqlite
      .prepare(`INSERT INTO votes (user_id, paper_id, created_at) VALUES (?, ?, '2026-01-02')`)
      .run(userId, topicPapers(/\bspeech\b/i)[0]);
    expect((await runForYou(store, settings, { userIds: [userId] })).members).toBe(1);
    expect(await createForYouStore(store.sqlite).positives(userId)).toHaveLength(6);
  }, 60_000);
});
