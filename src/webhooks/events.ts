import type { Config } from '../config.ts';
import type { Store } from '../db/connect.ts';
import { digestPeriod, digestTitle } from '../digests/digest-period.ts';
import { localTime } from '../digests/schedule.ts';
import { digestCandidates } from '../digests/send.ts';
import { periodContaining } from '../features/periods.ts';
import { readableText } from '../papers/readable-text.ts';
import { teamList } from '../teams/team-lists.store.ts';
import { findTeam } from '../teams/teams.store.ts';
import type { Site } from '../web/site.ts';
import { enqueueDelivery, featuresNotQueued, webhooksWithEvent } from './deliveries.store.ts';
import { eventsFromColumn } from './input.ts';
import { eventBody, type WebhookEvent, type WebhookPaper } from './payloads.ts';
import { listWebhooks, type Webhook } from './webhooks.store.ts';

/**
 * Makes the outbox rows of the events due now, for every webhook that wants them (docs/webhooks.md):
 * - `daily-top:<day>`: the day's most upvoted features, once the day is settled — after DIGEST_DAILY_HOUR in
 *   DIGEST_TIMEZONE on the next day, when the daily digest goes out, and from the same candidates;
 * - `feature:<arXiv id>`: each paper featured on the daily list of today or yesterday (UTC) since the webhook was
 *   added. Each body is made once, here; a retry posts the same bytes. Idempotent: the unique (webhook, event)
 *   index makes a second run, or a second process, queue nothing twice. Returns how many rows are new.
 */
export async function enqueueDueEvents(
  deps: { store: Store; config: Config; site: Site },
  now: Date,
): Promise<number> {
  const { db } = deps.store;
  const webhooks = (await listWebhooks(db)).filter((w) => w.disabled_at === null);
  let queued = 0;
  const wanting = (event: 'daily-top' | 'feature') =>
    webhooks.filter((w) => eventsFromColumn(w.events).includes(event));

  const day = settledDay(now, deps.config);
  const topKey = `daily-top:${day}`;
  const topWebhooks = wanting('daily-top');
  const have = await webhooksWithEvent(
    db,
    topWebhooks.map((w) => w.id),
    topKey,
  );
  const missing = topWebhooks.filter((w) => !have.has(w.id));
  if (missing.length > 0) {
    const period = digestPeriod('daily', periodContaining('day', day));
    const top = deps.config.WEBHOOK_TOP_PAPERS;
    // the site's top papers for a webhook of no team; a team's webhook posts the team's list of the day
    const lists = new Map<number | null, Promise<TopList | null>>();
    const listFor = (teamId: number | null): Promise<TopList | null> => {
      if (!lists.has(teamId))
        lists.set(
          teamId,
          teamId === null
            ? digestCandidates(deps.store, period).then((papers) => ({
                title: digestTitle(period),
                listUrl: `${deps.site.baseUrl}/papers/date/${day}`,
                papers: papers.slice(0, top),
              }))
            : teamTop(deps, teamId, day, top, digestTitle(period)),
        );
      return lists.get(teamId)!;
    };
    for (const w of missing) {
      const list = await listFor(w.team_id ?? null);
      if (!list || list.papers.length === 0) continue;
      const event: WebhookEvent = {
        type: 'daily-top',
        key: topKey,
        at: now.toISOString(),
        site: siteOf(deps.site),
        day,
        title: list.title,
        listUrl: list.listUrl,
        papers: list.papers.map((p) => paperOf(deps.site, p)),
      };
      queued += Number(await enqueue(deps.store, w, event, now));
    }
  }

  const sinceDay = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  for (const w of wanting('feature')) {
    for (const f of await featuresNotQueued(db, w, sinceDay, FEATURES_PER_RUN)) {
      const event: WebhookEvent = {
        type: 'feature',
        key: `feature:${f.id}`,
        at: now.toISOString(),
        site: siteOf(deps.site),
        day: f.day,
        submitter: f.submitter,
        paper: paperOf(deps.site, {
          id: f.id,
          title: readableText(f.title),
          authors: f.authors,
          upvotes: f.upvotes,
        }),
      };
      queued += Number(await enqueue(deps.store, w, event, now));
    }
  }
  return queued;
}

/** the most feature events queued per webhook and run (an import of a busy day is posted over a few minutes) */
const FEATURES_PER_RUN = 500;

function enqueue(store: Store, w: Webhook, event: WebhookEvent, now: Date): Promise<boolean> {
  return enqueueDelivery(store.db, {
    webhookId: w.id,
    eventKey: event.key,
    body: eventBody(w.kind, event),
    now,
  });
}

/**
 * The latest day whose list is settled at `now`: yesterday (in DIGEST_TIMEZONE) from DIGEST_DAILY_HOUR on, the
 * day before until then. Pure.
 */
export function settledDay(now: Date, config: Pick<Config, 'DIGEST_DAILY_HOUR' | 'DIGEST_TIMEZONE'>): string {
  const local = localTime(now, config.DIGEST_TIMEZONE);
  const back = local.hour >= config.DIGEST_DAILY_HOUR ? 1 : 2;
  return new Date(Date.parse(`${local.date}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
}

interface TopList {
  title: string;
  listUrl: string;
  papers: { id: string; title: string; authors: string[]; upvotes: number }[];
}

/** A team's list of the day (src/teams), as a daily-top post: null for a team that no longer exists. */
async function teamTop(
  deps: { store: Store; site: Site },
  teamId: number,
  day: string,
  limit: number,
  title: string,
): Promise<TopList | null> {
  const team = await findTeam(deps.store.db, teamId);
  if (!team) return null;
  const items = await teamList(deps.store.db, teamId, { start: day, end: day }, limit);
  return {
    title: `${team.name}: ${title}`,
    listUrl: `${deps.site.baseUrl}/teams/${team.slug}/date/${day}`,
    papers: items.map(({ paper }) => ({
      id: paper.id,
      title: readableText(paper.title),
      authors: paper.authors,
      upvotes: paper.upvotes,
    })),
  };
}

function siteOf(site: Site) {
  return { name: site.name, url: site.baseUrl };
}

function paperOf(
  site: Site,
  p: { id: string; title: string; authors: string[]; upvotes: number },
): WebhookPaper {
  return {
    id: p.id,
    title: p.title,
    authors: p.authors,
    upvotes: p.upvotes,
    url: `${site.baseUrl}/papers/${p.id}`,
  };
}
