import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import { listFeatures } from '../features/features.store.ts';
import type { Logger } from '../log.ts';
import { isPermanentFailure, type Mailer } from '../mail/mailer.ts';
import type { Paper } from '../papers/paper.ts';
import { readableText } from '../papers/readable-text.ts';
import { recommendationsFor } from '../recommendations/for-you.store.ts';
import { teamList } from '../teams/team-lists.store.ts';
import { findTeam, memberRole } from '../teams/teams.store.ts';
import type { Site } from '../web/site.ts';
import { type DigestLinks, type DigestPaper, digestText, selectPapers } from './compose.ts';
import { type DigestPeriod, digestTitle } from './digest-period.ts';
import { renderDigestHtml } from './email.tsx';
import { makeToken } from './links.ts';
import {
  claimDue,
  enqueuePeriod,
  markFailed,
  markRetry,
  markSent,
  markSkipped,
  nextLeaseEnd,
  type OutboxRow,
  periodCounts,
} from './outbox.store.ts';
import { findSubscription, recordBounce, type Subscription } from './subscriptions.store.ts';

export interface DigestDeps {
  store: Store;
  config: Config;
  log: Logger;
  mailer: Mailer;
  secret: Buffer;
  site: Site;
}

export interface SendSummary {
  period: string;
  queued: number;
  sent: number;
  skipped: number;
  retrying: number;
  failed: number;
  seconds: number;
}

/** Waits after the n-th failed attempt: 1 min, 5 min, 30 min, 2 h, then the row fails. */
const RETRY_DELAYS_MS = [60_000, 300_000, 1_800_000, 7_200_000];
const CLAIM_BATCH = 100;
/** the shortest lease a claimed row holds (it is renewed by claiming again after it runs out) */
const MIN_LEASE_MS = 10_000;
/** the most papers a period offers to the filters */
const CANDIDATES = 500;

/** The period's featured papers, most upvoted first: every subscriber's digest is a filtered prefix of these. */
export async function digestCandidates(store: Store, period: DigestPeriod): Promise<DigestPaper[]> {
  const items = await listFeatures(store.db, {
    start: period.period.start,
    end: period.period.end,
    submitter: null,
    sort: 'upvotes',
    offset: 0,
    limit: CANDIDATES,
  });
  return items.map(({ paper }) => digestPaper(paper));
}

function digestPaper(paper: Paper): DigestPaper {
  return {
    id: paper.id,
    title: readableText(paper.title),
    authors: paper.authors,
    abstract: readableText(paper.abstract),
    categories: paper.categories,
    upvotes: paper.upvotes,
    githubRepo: paper.githubRepo,
  };
}

/** What one digest lists: the site's candidates, or a team's list (a team digest), and that team. */
export interface DigestSource {
  candidates: DigestPaper[];
  team: { name: string; slug: string } | null;
}

/**
 * Where a subscriber's digest takes its papers: the team's list of the period (src/teams/teams.store.ts teamList,
 * papers featured in it that the team's members featured or upvoted, by members' upvotes) when they chose a
 * team digest and are still in the team; the site's candidates otherwise. `cache` keeps each team's list for
 * the run, as the site's candidates are made once.
 */
export async function digestSourceFor(
  store: Store,
  sub: Subscription,
  period: DigestPeriod,
  site: () => Promise<DigestPaper[]>,
  cache: Map<number, Promise<DigestSource | null>> = new Map(),
): Promise<DigestSource> {
  const teamId = sub.teamId;
  const member = teamId && sub.userId ? await memberRole(store.db, teamId, sub.userId) : null;
  if (!teamId || !member) return { candidates: await site(), team: null };
  let source = cache.get(teamId);
  if (!source) {
    source = (async () => {
      const team = await findTeam(store.db, teamId);
      if (!team) return null;
      const items = await teamList(store.db, teamId, period.period, CANDIDATES);
      return {
        candidates: items.map((i) => digestPaper(i.paper)),
        team: { name: team.name, slug: team.slug },
      };
    })();
    cache.set(teamId, source);
  }
  return (await source) ?? { candidates: await site(), team: null };
}

/** The links of one subscriber's digest, all signed for that subscriber. */
export function digestLinks(
  deps: Pick<DigestDeps, 'secret' | 'site'>,
  subscriptionId: number,
  periodKey: string,
): DigestLinks {
  const base = deps.site.baseUrl;
  return {
    paper: (id) => `${base}/papers/${id}`,
    view: `${base}/digest/${periodKey}/${makeToken(deps.secret, `view:${periodKey}`, subscriptionId)}`,
    manage: `${base}/subscription/${makeToken(deps.secret, 'manage', subscriptionId)}`,
    unsubscribe: `${base}/unsubscribe/${makeToken(deps.secret, 'unsubscribe', subscriptionId)}`,
  };
}

/**
 * Subject, text and HTML of one subscriber's digest, or null when no paper matches their topics (and there is
 * no recommendation for them either). `forYou`: the member's own recommendations, when they opted in.
 */
export function composeDigest(
  deps: Pick<DigestDeps, 'secret' | 'site'>,
  sub: Subscription,
  period: DigestPeriod,
  candidates: DigestPaper[],
  forYou: ForYouPick[] = [],
  team: DigestSource['team'] = null,
) {
  const papers = selectPapers(candidates, sub);
  const listed = new Set(papers.map((p) => p.id));
  const picks = forYou.filter((f) => !listed.has(f.paper.id)).slice(0, FOR_YOU_IN_DIGEST);
  if (papers.length === 0 && picks.length === 0) return null;
  const links = digestLinks(deps, sub.id, period.key);
  const title = team ? `${team.name}: ${digestTitle(period)}` : digestTitle(period);
  const topics = [...sub.categories, ...sub.keywords];
  const intro = `The ${papers.length} most upvoted paper${papers.length === 1 ? '' : 's'}${topics.length ? ` on ${topics.join(', ')}` : ''}, chosen by the members of ${team ? team.name : deps.site.name}.`;
  return {
    subject: `${title} · ${deps.site.name}`,
    text: digestText(deps.site.name, title, papers, links) + forYouText(picks, links),
    html: renderDigestHtml({ siteName: deps.site.name, title, intro, papers, links, forYou: picks }),
    links,
    papers,
  };
}

/** A recommendation in a digest: the paper and the one that explains it. */
export interface ForYouPick {
  paper: DigestPaper;
  because: string;
}
const FOR_YOU_IN_DIGEST = 5;

function forYouText(picks: ForYouPick[], links: DigestLinks): string {
  if (picks.length === 0) return '';
  const lines = ['', 'For you', '-------', ''];
  for (const p of picks)
    lines.push(`* ${p.paper.title}`, `  ${p.because}`, `  ${links.paper(p.paper.id)}`, '');
  return lines.join('\n');
}

/** A member's top recommendations for their digest (empty unless they opted in). */
async function forYouPicks(store: Store, sub: Subscription): Promise<ForYouPick[]> {
  if (!sub.forYou || !sub.userId) return [];
  const recs = await recommendationsFor(store.db, sub.userId, FOR_YOU_IN_DIGEST * 3);
  return recs.map((r) => ({
    paper: {
      id: r.paper.id,
      title: readableText(r.paper.title),
      authors: r.paper.authors,
      abstract: readableText(r.paper.abstract),
      categories: r.paper.categories,
      upvotes: r.paper.upvotes,
      githubRepo: r.paper.githubRepo,
    },
    because: `Because you ${r.reasonKind === 'upvoted' ? 'upvoted' : 'collected'} “${readableText(r.reasonTitle)}”`,
  }));
}

/** A stable Message-ID per subscriber and period (RFC 5322 §3.6.4): a resend after a crash is the same message. */
export function digestMessageId(site: Site, subscriptionId: number, periodKey: string): string {
  return `<digest.${periodKey.replace(':', '.')}.${subscriptionId}@${new URL(site.baseUrl).hostname}>`;
}

/**
 * Sends one period's digests: makes the outbox rows for the confirmed subscribers, then claims and sends every
 * due row at no more than DIGEST_RATE_PER_SECOND, several at once over the pooled SMTP connections; rows held
 * by another sender are left to it, and rows a dead sender held are taken over when their lease runs out. Temporary failures are retried later with growing delays; permanent ones count as a
 * bounce. Idempotent: run it again and only what is not sent yet goes out.
 */
export async function sendDigests(
  deps: DigestDeps,
  period: DigestPeriod,
  options: {
    now?: () => Date;
    onProgress?: (done: number, total: number) => void;
    waitForLeases?: boolean;
  } = {},
): Promise<SendSummary> {
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const { db } = deps.store;
  const queued = await enqueuePeriod(db, period, now());
  const candidates = await digestCandidates(deps.store, period);
  const teamSources = new Map<number, Promise<DigestSource | null>>();
  const counts = { sent: 0, skipped: 0, retrying: 0, failed: 0 };
  const total = Object.values(await periodCounts(db, period.key)).reduce((a, b) => a + b, 0);
  const alreadyDone = (await periodCounts(db, period.key)).sent ?? 0;
  const spacingMs = 1000 / deps.config.DIGEST_RATE_PER_SECOND;
  let nextSlot = Date.now();
  const takeSlot = async () => {
    const wait = nextSlot - Date.now();
    nextSlot = Math.max(nextSlot, Date.now()) + spacingMs;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };

  const deliver = async (row: OutboxRow) => {
    const sub = await findSubscription(db, row.subscriptionId);
    if (sub?.status !== 'confirmed') {
      await markSkipped(db, row, 'no longer subscribed');
      counts.skipped++;
      return;
    }
    const source = await digestSourceFor(deps.store, sub, period, async () => candidates, teamSources);
    const digest = composeDigest(
      deps,
      sub,
      period,
      source.candidates,
      await forYouPicks(deps.store, sub),
      source.team,
    );
    if (!digest) {
      await markSkipped(db, row, 'no paper matched the topics');
      counts.skipped++;
      return;
    }
    const messageId = digestMessageId(deps.site, sub.id, period.key);
    await takeSlot();
    try {
      await deps.mailer.send({
        to: sub.email,
        subject: digest.subject,
        text: digest.text,
        html: digest.html,
        messageId,
        headers: {
          // RFC 2369 and RFC 8058: one-click unsubscribe from the mail client
          'List-Unsubscribe': `<${digest.links.unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'List-Id': `${deps.site.name} digest <digest.${new URL(deps.site.baseUrl).hostname}>`,
        },
      });
      await markSent(db, row, messageId);
      counts.sent++;
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      if (isPermanentFailure(err)) {
        await markFailed(db, row, message);
        await recordBounce(db, sub.id);
        counts.failed++;
      } else if (row.attempts > RETRY_DELAYS_MS.length) {
        await markFailed(db, row, `gave up after ${row.attempts} attempts: ${message}`);
        counts.failed++;
      } else {
        await markRetry(db, row, message, new Date(now().getTime() + RETRY_DELAYS_MS[row.attempts - 1]!));
        counts.retrying++;
      }
      deps.log.warn(
        { period: period.key, subscription: sub.id, attempt: row.attempts, err: message },
        'digest not delivered',
      );
    }
    options.onProgress?.(alreadyDone + counts.sent + counts.skipped + counts.failed, total);
  };

  const concurrency = deps.config.SMTP_POOL_SIZE;
  // a claimed batch must be sent well within its lease, at the configured rate
  const leaseMs = Math.max(MIN_LEASE_MS, (CLAIM_BATCH / deps.config.DIGEST_RATE_PER_SECOND) * 1000 * 3);
  for (;;) {
    const at = now();
    const rows = await claimDue(db, period.key, at, new Date(at.getTime() + leaseMs), CLAIM_BATCH);
    if (rows.length === 0) {
      // rows another sender holds, or held when it died: wait for their lease, then take over what is left
      const leaseEnd = await nextLeaseEnd(db, period.key);
      if (!leaseEnd || options.waitForLeases === false) break;
      const wait = leaseEnd.getTime() - now().getTime() + 50;
      if (wait > leaseMs + 1000) break;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      continue;
    }
    let index = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
        while (index < rows.length) await deliver(rows[index++]!);
      }),
    );
  }
  return { period: period.key, queued, ...counts, seconds: (performance.now() - started) / 1000 };
}
