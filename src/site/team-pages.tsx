import type { Context, Hono } from 'hono';
import { sendConfirmation } from '../digests/pages.tsx';
import {
  findMemberSubscription,
  requestSubscription,
  setDigestTeam,
} from '../digests/subscriptions.store.ts';
import {
  type Period,
  type PeriodKind,
  parseDayPeriod,
  parseWeekPeriod,
  periodContaining,
  periodLabel,
  periodRange,
} from '../features/periods.ts';
import { tex } from '../papers/tex-text.tsx';
import { parseSlug } from '../teams/input.ts';
import { teamRights } from '../teams/rights.ts';
import {
  latestTeamDay,
  type TeamListItem,
  type TeamPaper,
  teamActivity,
  teamList,
} from '../teams/team-lists.store.ts';
import { findTeamBySlug, type Team, teamCollection, teamMembers } from '../teams/teams.store.ts';
import { requireViewer } from '../users/require.ts';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { paperPath, plural } from '../web/format.ts';
import { CsrfField, Field, formFields, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { type VoteContext, voteContext } from './card-context.ts';
import type { AppDeps } from './deps.ts';
import { PaperCard } from './paper-card.tsx';

/** papers of each list on the team page; a period page shows up to LIST_PAGE */
const ON_PAGE = 10;
const LIST_PAGE = 50;
const DIGEST_LIMIT = { max: 10, windowMs: 60 * 60_000 };
const DAY_MS = 86_400_000;

/**
 * The team pages (docs/teams.md), composed of several domains: /teams/{slug} (members; the team's daily and
 * weekly lists; the papers members featured, upvoted and saved; the team collection; the team digest for its
 * members), /teams/{slug}/date/{day} and /teams/{slug}/week/{week}, and the member's team digest choice.
 */
export function registerTeamPages(app: Hono<AppEnv>, deps: AppDeps): void {
  const teamOfPath = async (c: Context<AppEnv>) => {
    const slug = parseSlug(c.req.param('slug'));
    return slug ? findTeamBySlug(deps.store.db, slug) : null;
  };
  const problem = async (c: Context<AppEnv>, status: 400 | 404, title: string, text: string) => {
    c.status(status);
    return c.html(
      <ErrorPage {...who(c)} site={deps.site} status={status} title={title} path={c.req.path}>
        <p>{text}</p>
      </ErrorPage>,
    );
  };
  const noTeam = (c: Context<AppEnv>) =>
    problem(c, 404, 'No such team', 'There is no team at this address. See /teams.');

  app.get('/teams/:slug', async (c) => {
    const team = await teamOfPath(c);
    if (!team) return noTeam(c);
    const db = deps.store.db;
    const viewer = c.get('viewer');
    const latest = (await latestTeamDay(db, team.id)) ?? new Date().toISOString().slice(0, 10);
    const day = periodContaining('day', latest);
    const week = periodContaining('week', latest);
    const [rights, members, daily, weekly, featured, upvoted, saved, collection, digest] = await Promise.all([
      teamRights(deps, viewer, team),
      teamMembers(db, team.id),
      teamList(db, team.id, day, ON_PAGE),
      teamList(db, team.id, week, ON_PAGE),
      teamActivity(db, team.id, 'featured', ON_PAGE),
      teamActivity(db, team.id, 'upvoted', ON_PAGE),
      teamActivity(db, team.id, 'saved', ON_PAGE),
      teamCollection(db, team.id, 100),
      viewer ? findMemberSubscription(db, viewer.id) : Promise.resolve(null),
    ]);
    const votes = await voteContext(
      c,
      deps,
      [...daily, ...weekly].map((i) => i.paper.id),
    );
    const notice = c.req.query('digest');
    const subscription = digest?.subscription ?? null;
    const teamDigest =
      subscription?.teamId === team.id && subscription.status !== 'unsubscribed' ? subscription : null;
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{
          title: team.name,
          description: team.description || `The papers of ${team.name}.`,
          path: `/teams/${team.slug}`,
        }}
      >
        <h1>{team.name}</h1>
        {team.description ? <p>{team.description}</p> : null}
        <p class="muted small">
          {plural(members.length, 'member')} · <a href="/teams">all teams</a>
          {rights.manage ? (
            <>
              {' '}
              · <a href={`/teams/${team.slug}/manage`}>Manage the team</a>
            </>
          ) : null}
        </p>
        {notice === 'pending' ? (
          <Notice kind="ok">Check your inbox: confirm the address and the team digest starts.</Notice>
        ) : notice ? (
          <Notice kind="ok">
            Saved:{' '}
            {notice === 'off' ? 'your digest lists the whole site again.' : `the ${notice} team digest.`}
          </Notice>
        ) : null}

        <h2>Members</h2>
        {members.length === 0 ? (
          <p class="empty">No member yet.</p>
        ) : (
          <p>
            {members.map((m, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={`/u/${encodeURIComponent(m.username)}`}>{m.username}</a>
                {m.role === 'lead' ? ' (lead)' : ''}
              </>
            ))}
          </p>
        )}

        <TeamListSection team={team} period={day} items={daily} votes={votes} />
        <TeamListSection team={team} period={week} items={weekly} votes={votes} />

        <h2>Featured by members</h2>
        <ActivityList items={featured} verb="featured" empty="No member has featured a paper yet." />
        <h2>Upvoted by members</h2>
        <ActivityList items={upvoted} verb="upvoted" empty="No member has upvoted a paper yet." />
        <h2>Saved by members</h2>
        <ActivityList items={saved} verb="saved" empty="No paper is in a member’s public collection yet." />

        <h2 id="collection">The team’s collection</h2>
        {collection.length === 0 ? <p class="empty">Empty so far.</p> : null}
        <ol class="team-list">
          {collection.map((p) => (
            <li>
              <a href={paperPath(p.paper.id)}>{tex(p.paper.title)}</a>{' '}
              <span class="muted small">{p.addedBy ? `added by ${p.addedBy}` : ''}</span>
              {rights.collect ? (
                <form method="post" action={`/teams/${team.slug}/papers`} style="display:inline">
                  <CsrfField csrf={c.get('csrf')} />
                  <input type="hidden" name="paper_id" value={p.paper.id} />
                  <input type="hidden" name="action" value="remove" />{' '}
                  <button type="submit" class="link">
                    Remove
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ol>
        {rights.collect ? (
          <form method="post" action={`/teams/${team.slug}/papers`} class="form">
            <CsrfField csrf={c.get('csrf')} />
            <input type="hidden" name="action" value="add" />
            <Field label="Add a paper" name="paper_id" maxlength={60} hint="an arXiv id, e.g. 2501.00001" />
            <button type="submit">Add to the team’s collection</button>
          </form>
        ) : null}

        {rights.role ? (
          <>
            <h2>Team digest</h2>
            <p class="muted small">
              {teamDigest
                ? `You get the ${teamDigest.frequency} digest of ${team.name}${teamDigest.status === 'pending' ? ', once you confirm your address' : ''}.`
                : `Get the papers ${team.name} upvoted most in your inbox, instead of the whole site’s. It replaces your site digest (one digest per address).`}
            </p>
            <form method="post" action={`/teams/${team.slug}/digest`} class="form">
              <CsrfField csrf={c.get('csrf')} />
              <fieldset class="field">
                <legend>How often</legend>
                {(['daily', 'weekly'] as const).map((f) => (
                  <label>
                    <input
                      type="radio"
                      name="frequency"
                      value={f}
                      checked={(teamDigest?.frequency ?? 'weekly') === f}
                    />{' '}
                    {f}
                  </label>
                ))}
                {teamDigest ? (
                  <label>
                    <input type="radio" name="frequency" value="off" /> back to the whole site’s digest
                  </label>
                ) : null}
              </fieldset>
              <button type="submit" class="primary">
                {teamDigest ? 'Save' : 'Send me the team digest'}
              </button>
            </form>
          </>
        ) : null}
      </Layout>,
    );
  });

  for (const kind of ['day', 'week'] as const) {
    const path = kind === 'day' ? 'date' : 'week';
    app.get(`/teams/:slug/${path}/:${kind}`, async (c) => {
      const team = await teamOfPath(c);
      if (!team) return noTeam(c);
      const key = c.req.param(kind) ?? '';
      const period = kind === 'day' ? parseDayPeriod(key) : parseWeekPeriod(key);
      if (!period)
        return problem(
          c,
          400,
          `“${key.slice(0, 40)}” is not a ${kind}`,
          `Write the ${kind} as ${kind === 'day' ? 'YYYY-MM-DD, e.g. 2025-02-12' : 'YYYY-Www, e.g. 2025-W07'}.`,
        );
      const items = await teamList(deps.store.db, team.id, period, LIST_PAGE);
      const votes = await voteContext(
        c,
        deps,
        items.map((i) => i.paper.id),
      );
      const previous = periodContaining(kind, shiftDay(period.start, -1));
      const next = periodContaining(kind, shiftDay(period.end, 1));
      return c.html(
        <Layout
          {...who(c)}
          site={deps.site}
          meta={{ title: `${team.name}: ${periodLabel(period)}`, path: teamPeriodPath(team, period) }}
        >
          <p>
            <a href={`/teams/${team.slug}`}>← {team.name}</a>
          </p>
          <div class="period-head">
            <h1>{periodLabel(period)}</h1>
            <nav class="pager" aria-label="Previous and next">
              <a href={teamPeriodPath(team, previous)} rel="prev">
                ← Previous
              </a>
              <a href={teamPeriodPath(team, next)} rel="next">
                Next →
              </a>
            </nav>
          </div>
          <TeamCards
            items={items}
            votes={votes}
            empty={`No paper featured in this ${kind} was featured or upvoted by a member.`}
          />
        </Layout>,
      );
    });
  }

  app.post('/teams/:slug/digest', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const limited = await deps.limiter.hit(`team-digest:${auth.viewer.id}`, DIGEST_LIMIT);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'digest changes');
    const team = await teamOfPath(c);
    if (!team) return noTeam(c);
    const rights = await teamRights(deps, auth.viewer, team);
    if (!rights.role) {
      c.status(403);
      return c.text(`Only members of ${team.name} get its digest.`);
    }
    const frequency = (await formFields(c.req)).frequency;
    if (frequency !== 'daily' && frequency !== 'weekly' && frequency !== 'off')
      return problem(c, 400, 'Choose daily or weekly', 'A team digest comes daily or weekly.');
    const found = await findMemberSubscription(deps.store.db, auth.viewer.id);
    if (!found) return c.text('Your account was not found.', 404);
    let sub = found.subscription;
    if (frequency === 'off') {
      if (sub?.teamId === team.id) await setDigestTeam(deps.store.db, sub.id, auth.viewer.id, null, null);
      return c.redirect(`/teams/${team.slug}?digest=off`, 303);
    }
    let pending = false;
    if (sub?.status !== 'confirmed') {
      // a new (or lapsed) address confirms first, as every digest does: double opt-in
      const made = await requestSubscription(
        deps.store.db,
        found.email,
        { frequency, categories: [], keywords: [], count: 10 },
        auth.viewer.id,
      );
      sub = made.subscription;
      pending = !made.alreadyConfirmed;
      if (pending) await sendConfirmation(deps, sub, false);
    }
    await setDigestTeam(deps.store.db, sub.id, auth.viewer.id, team.id, frequency);
    return c.redirect(`/teams/${team.slug}?digest=${pending ? 'pending' : frequency}`, 303);
  });
}

function teamPeriodPath(team: Team, period: Period): string {
  return `/teams/${team.slug}/${period.kind === 'day' ? 'date' : 'week'}/${period.key}`;
}

function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function TeamListSection(props: { team: Team; period: Period; items: TeamListItem[]; votes: VoteContext }) {
  const { team, period } = props;
  const kind: PeriodKind = period.kind;
  return (
    <>
      <h2>
        {kind === 'day' ? 'Daily list' : 'Weekly list'}:{' '}
        <a href={teamPeriodPath(team, period)}>{periodLabel(period)}</a>
      </h2>
      {kind === 'week' ? <p class="muted small">{periodRange(period)}, by members’ upvotes</p> : null}
      <TeamCards
        items={props.items}
        votes={props.votes}
        empty={`No paper featured ${kind === 'day' ? 'that day' : 'that week'} was featured or upvoted by a member.`}
      />
    </>
  );
}

function TeamCards(props: { items: TeamListItem[]; votes: VoteContext; empty: string }) {
  if (props.items.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <ol class="cards">
      {props.items.map((item, i) => (
        <PaperCard
          paper={item.paper}
          feature={{ day: item.day, submitter: item.submitter }}
          rank={i + 1}
          votes={props.votes}
        />
      ))}
    </ol>
  );
}

function ActivityList(props: { items: TeamPaper[]; verb: string; empty: string }) {
  if (props.items.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <ol class="team-list">
      {props.items.map((p) => (
        <li>
          <a href={paperPath(p.paper.id)}>{tex(p.paper.title)}</a>{' '}
          <span class="muted small">
            {props.verb} by {plural(p.members, 'member')}
          </span>
        </li>
      ))}
    </ol>
  );
}
