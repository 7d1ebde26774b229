import { authorKey } from '../authors/names.ts';
import type { Store } from '../db/connect.ts';
import { keyphrasesInRange } from '../keywords/keyphrases.store.ts';
import { runKeywords } from '../keywords/keywords-job.ts';
import { papersMatchingAmong } from '../search/matching.store.ts';
import { parseQuery } from '../search/query-parse.ts';
import { mentionedNames } from './mentions.ts';
import {
  commentAuthors,
  commentsAfter,
  distinctSearches,
  type FollowRow,
  followsWithKeys,
  membersNamed,
  type NewComment,
  type NewNotification,
  type NewPaper,
  papersAfter,
  recordNotifications,
  watermarkOf,
} from './notify.store.ts';

/**
 * Papers (and comments) per batch: one transaction, and each distinct saved search asked once per batch. 500
 * keeps a batch of a heavy day (10,000 members, broad searches) near 250,000 notifications.
 */
export const NOTIFY_BATCH = 500;
/**
 * Rows younger than this wait for the next run. Ids are handed out when a row is inserted, not when its
 * transaction commits: on PostgreSQL a slow import could commit pk 100 after pk 101 was seen and the watermark
 * had passed it. A minute is far longer than any transaction of ours holds a new row uncommitted.
 */
export const SETTLE_MS = 60_000;

export interface NotifyOptions {
  now?: () => Date;
  settleMs?: number;
  signal?: AbortSignal;
  /** extract the keyphrases of new papers first, so topics can match them (KEYWORDS_ENABLED) */
  keywords?: boolean;
}

export interface NotifySummary {
  papers: number;
  comments: number;
  notifications: number;
  seconds: number;
}

/**
 * Makes the notifications for what arrived since the last run: new papers matched against every follow set-wise
 * (authors by their normalised keys, categories, topics by keyphrases, each distinct saved search once per batch
 * over the batch's papers), and new comments for replies (to the parent's author) and @mentions (of members that
 * exist, never the writer). A batch's notifications and the watermark past it are stored in one transaction;
 * the unique index makes any repeat a no-op. Idempotent and resumable: stop it anywhere, run it again.
 */
export async function runNotify(store: Store, options: NotifyOptions = {}): Promise<NotifySummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const settleMs = options.settleMs ?? SETTLE_MS;
  const summary = { papers: 0, comments: 0, notifications: 0 };
  if (options.keywords) await runKeywords(store, { signal: options.signal });
  let searches: { key: string; value: string }[] | null = null;
  while (!options.signal?.aborted) {
    const after = await watermarkOf(store.db, 'papers');
    const batch = settled(await papersAfter(store.db, after, NOTIFY_BATCH), now(), settleMs);
    if (batch.length === 0) break;
    searches ??= await distinctSearches(store.db);
    const through = batch.at(-1)!.pk;
    const rows = await matchPapers(store, batch, after, through, searches);
    summary.notifications += await recordNotifications(store.db, 'papers', through, rows, now());
    summary.papers += batch.length;
    if (batch.length < NOTIFY_BATCH) break;
  }
  while (!options.signal?.aborted) {
    const after = await watermarkOf(store.db, 'comments');
    const batch = settled(await commentsAfter(store.db, after, NOTIFY_BATCH), now(), settleMs);
    if (batch.length === 0) break;
    const rows = await matchComments(store, batch);
    summary.notifications += await recordNotifications(store.db, 'comments', batch.at(-1)!.id, rows, now());
    summary.comments += batch.length;
    if (batch.length < NOTIFY_BATCH) break;
  }
  return { ...summary, seconds: (performance.now() - started) / 1000 };
}

/** The rows up to the first one younger than the settling time (see SETTLE_MS). */
function settled<T extends { createdAt: string }>(rows: T[], now: Date, settleMs: number): T[] {
  const cutoff = new Date(now.getTime() - settleMs).toISOString();
  const young = rows.findIndex((r) => r.createdAt > cutoff);
  return young === -1 ? rows : rows.slice(0, young);
}

/** One notification per member and paper, for the first follow that matched (authors, searches, topics, categories). */
class Matches {
  /** userId × 2^32 + pk: both below 2^31, so the key is exact in a double, and far smaller than a string */
  private readonly seen = new Set<number>();
  readonly rows: NewNotification[] = [];
  add(follows: FollowRow[], pksByKey: Map<string, number[]>) {
    for (const f of follows)
      for (const pk of pksByKey.get(f.key) ?? []) {
        const key = f.userId * 4_294_967_296 + pk;
        if (this.seen.has(key)) continue;
        this.seen.add(key);
        this.rows.push({ userId: f.userId, kind: 'paper', paperPk: pk, commentId: null, followId: f.id });
      }
  }
}

function index(map: Map<string, number[]>, key: string, pk: number) {
  const list = map.get(key);
  if (!list) map.set(key, [pk]);
  else if (list.at(-1) !== pk) list.push(pk);
}

async function matchPapers(
  store: Store,
  batch: NewPaper[],
  after: number,
  through: number,
  searches: { key: string; value: string }[],
): Promise<NewNotification[]> {
  const visible = batch.filter((p) => !p.hidden);
  const shown = new Set(visible.map((p) => p.pk));
  const byAuthor = new Map<string, number[]>();
  const byCategory = new Map<string, number[]>();
  for (const p of visible) {
    for (const name of p.authors) index(byAuthor, authorKey(name), p.pk);
    for (const category of p.categories) index(byCategory, category, p.pk);
  }
  const byTopic = new Map<string, number[]>();
  for (const { pk, phrases } of await keyphrasesInRange(store.db, after, through))
    if (shown.has(pk)) for (const phrase of phrases) index(byTopic, phrase, pk);
  const bySearch = new Map<string, number[]>();
  for (const s of searches) {
    const pks = await papersMatchingAmong(store, parseQuery(s.value), after, through);
    if (pks.length > 0) bySearch.set(s.key, pks);
  }
  const matches = new Matches();
  matches.add(await followsWithKeys(store.db, 'author', byAuthor.keys()), byAuthor);
  matches.add(await followsWithKeys(store.db, 'search', bySearch.keys()), bySearch);
  matches.add(await followsWithKeys(store.db, 'topic', byTopic.keys()), byTopic);
  matches.add(await followsWithKeys(store.db, 'category', byCategory.keys()), byCategory);
  return matches.rows;
}

async function matchComments(store: Store, batch: NewComment[]): Promise<NewNotification[]> {
  const live = batch.filter((c) => !c.silent);
  const parents = await commentAuthors(
    store.db,
    live.flatMap((c) => (c.parentId === null ? [] : [c.parentId])),
  );
  const mentions = new Map(live.map((c) => [c.id, mentionedNames(c.body)]));
  const members = await membersNamed(store.db, [...new Set([...mentions.values()].flat())]);
  const rows: NewNotification[] = [];
  for (const c of live) {
    const parentAuthor = c.parentId === null ? undefined : parents.get(c.parentId);
    if (parentAuthor !== undefined && parentAuthor !== c.userId)
      rows.push({ userId: parentAuthor, kind: 'reply', paperPk: c.paperPk, commentId: c.id, followId: null });
    for (const name of mentions.get(c.id) ?? []) {
      const id = members.get(name);
      // a reply already tells the parent's author; the writer is never told of their own comment
      if (id === undefined || id === c.userId || id === parentAuthor) continue;
      rows.push({ userId: id, kind: 'mention', paperPk: c.paperPk, commentId: c.id, followId: null });
    }
  }
  return rows;
}
