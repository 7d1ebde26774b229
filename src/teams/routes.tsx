import type { Context, Hono } from 'hono';
import { formPaperId } from '../collections/input.ts';
import { hasRole, requireViewer } from '../users/require.ts';
import { findUserByUsername } from '../users/users.store.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv, Viewer } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { CsrfField, Field, formFields, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { redirectLocal } from '../web/redirect.ts';
import {
  MAX_SLUG,
  MAX_TEAM_DESCRIPTION,
  MAX_TEAM_NAME,
  newTeamFromForm,
  parseRole,
  parseSlug,
  teamDetailsFromForm,
} from './input.ts';
import { MemberTable } from './member-table.tsx';
import { type TeamRights, teamRights } from './rights.ts';
import {
  addMember,
  addTeamPaper,
  createTeam,
  deleteTeam,
  findTeamBySlug,
  listTeams,
  memberRole,
  removeMember,
  removeTeamPaper,
  setMemberRole,
  type Team,
  teamMembers,
  updateTeam,
} from './teams.store.ts';

/** changes to teams by one member: plenty by hand, not a script adding the whole instance */
const WRITE_LIMIT = { max: 60, windowMs: 60_000 };
const USERNAME_MAX = 40;

/**
 * Teams, the domain's own routes (docs/teams.md): the index with the admins' "new team" form, the management
 * page of a team (admins rename, delete and appoint leads; leads add and remove members), and writes to the team
 * collection. The team page itself shows several domains and lives in src/site/team-pages.tsx. Every write is a
 * POST behind the app's CSRF check and a per-member rate limit; every refusal is a 4xx page that says why.
 */
export function registerTeamRoutes(app: Hono<AppEnv>, deps: WebDeps): void {
  const problem = async (
    c: Context<AppEnv>,
    status: 400 | 403 | 404 | 409,
    title: string,
    back?: string,
  ): Promise<Response> => {
    c.status(status);
    return c.html(
      <ErrorPage {...who(c)} site={deps.site} status={status} title={title} path={c.req.path}>
        {back ? (
          <p>
            <a href={back}>← Back</a>
          </p>
        ) : null}
      </ErrorPage>,
    );
  };
  /** signed in, under the write limit: the viewer, or the answer to send */
  const writer = async (c: Context<AppEnv>) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth;
    const limited = await deps.limiter.hit(`teams:${auth.viewer.id}`, WRITE_LIMIT);
    if (!limited.ok) return { response: tooManyRequests(c, limited.retryAfterSeconds, 'changes to teams') };
    return auth;
  };
  /** the team of the path, and the viewer's rights in it; a 404 page for a slug that is no team */
  const teamOf = async (
    c: Context<AppEnv>,
    viewer: Viewer,
  ): Promise<{ response: Response } | { team: Team; rights: TeamRights }> => {
    const slug = parseSlug(c.req.param('slug'));
    const team = slug ? await findTeamBySlug(deps.store.db, slug) : null;
    if (!team) return { response: await problem(c, 404, 'No such team', '/teams') };
    return { team, rights: await teamRights(deps, viewer, team) };
  };
  const manager = async (
    c: Context<AppEnv>,
  ): Promise<{ response: Response } | { viewer: Viewer; team: Team; rights: TeamRights }> => {
    const auth = await writer(c);
    if ('response' in auth) return { response: auth.response };
    const found = await teamOf(c, auth.viewer);
    if ('response' in found) return found;
    if (!found.rights.manage)
      return {
        response: await problem(
          c,
          403,
          'Only admins and the team’s leads can do this',
          `/teams/${found.team.slug}`,
        ),
      };
    return { viewer: auth.viewer, team: found.team, rights: found.rights };
  };
  const admin = async (c: Context<AppEnv>) => {
    const found = await manager(c);
    if ('response' in found) return found;
    if (!found.rights.admin)
      return {
        response: await problem(c, 403, 'Only admins can do this', `/teams/${found.team.slug}/manage`),
      };
    return found;
  };
  const manageUrl = (team: Team, notice?: string) =>
    `/teams/${team.slug}/manage${notice ? `?done=${encodeURIComponent(notice)}` : ''}`;

  app.get('/teams', async (c) => {
    const teams = await listTeams(deps.store.db);
    const viewer = c.get('viewer');
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Teams', path: '/teams' }}>
        <h1>Teams</h1>
        {teams.length === 0 ? (
          <p class="empty">No team yet.{hasRole(viewer, 'admin') ? ' Make the first one below.' : ''}</p>
        ) : (
          <ul class="team-list">
            {teams.map((t) => (
              <li>
                <a href={`/teams/${t.slug}`}>{t.name}</a>{' '}
                <span class="muted small">
                  {t.members} member{t.members === 1 ? '' : 's'}
                  {t.description ? ` · ${t.description}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
        {hasRole(viewer, 'admin') ? (
          <>
            <h2>New team</h2>
            <form method="post" action="/teams" class="form">
              <CsrfField csrf={c.get('csrf')} />
              <Field label="Name" name="name" maxlength={MAX_TEAM_NAME} hint="e.g. Vision lab" />
              <Field
                label="Address"
                name="slug"
                required={false}
                maxlength={MAX_SLUG}
                hint="/teams/… — lowercase letters, digits and hyphens; made from the name if empty"
              />
              <Field
                label="Description"
                name="description"
                required={false}
                maxlength={MAX_TEAM_DESCRIPTION}
              />
              <button type="submit" class="primary">
                Make the team
              </button>
            </form>
          </>
        ) : null}
      </Layout>,
    );
  });

  app.post('/teams', async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    if (!hasRole(auth.viewer, 'admin')) return problem(c, 403, 'Only admins can make teams', '/teams');
    const parsed = newTeamFromForm(await formFields(c.req));
    if (!parsed.ok) return problem(c, 400, parsed.error, '/teams');
    const id = await createTeam(deps.store.db, parsed.value, new Date());
    if (id === null)
      return problem(c, 409, `There is a team at /teams/${parsed.value.slug} already`, '/teams');
    deps.log.info({ team: id, by: auth.viewer.id }, 'team made');
    return c.redirect(`/teams/${parsed.value.slug}/manage`, 303);
  });

  app.get('/teams/:slug/manage', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const found = await teamOf(c, auth.viewer);
    if ('response' in found) return found.response;
    const { team, rights } = found;
    if (!rights.manage)
      return problem(c, 403, 'Only admins and the team’s leads can manage it', `/teams/${team.slug}`);
    const members = await teamMembers(deps.store.db, team.id);
    const done = c.req.query('done');
    c.header('Cache-Control', 'no-store');
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{ title: `Manage ${team.name}`, path: `/teams/${team.slug}/manage` }}
      >
        <h1>Manage {team.name}</h1>
        <p>
          <a href={`/teams/${team.slug}`}>← The team’s page</a>
        </p>
        {done ? <Notice kind="ok">{done.slice(0, 200)}</Notice> : null}
        <h2>Members</h2>
        <MemberTable
          team={team}
          members={members}
          rights={rights}
          csrf={c.get('csrf')}
          viewer={auth.viewer}
        />
        <h3>Add a member</h3>
        <form method="post" action={`/teams/${team.slug}/members`} class="form">
          <CsrfField csrf={c.get('csrf')} />
          <Field label="Username" name="username" maxlength={USERNAME_MAX} autocomplete="off" />
          {rights.admin ? (
            <p class="field">
              <label for="field-role">Role</label>
              <select id="field-role" name="role">
                <option value="member">member</option>
                <option value="lead">lead: adds and removes members</option>
              </select>
            </p>
          ) : null}
          <button type="submit" class="primary">
            Add
          </button>
        </form>
        {rights.admin ? (
          <>
            <h2>Name and description</h2>
            <form method="post" action={`/teams/${team.slug}/manage`} class="form">
              <CsrfField csrf={c.get('csrf')} />
              <Field label="Name" name="name" value={team.name} maxlength={MAX_TEAM_NAME} />
              <Field
                label="Description"
                name="description"
                value={team.description}
                required={false}
                maxlength={MAX_TEAM_DESCRIPTION}
              />
              <button type="submit">Save</button>
            </form>
            <h2>Delete the team</h2>
            <p class="muted small">
              Its members stay members of the site; its collection goes, team digests go back to the site’s
              list, and its team-chat webhooks are switched off.
            </p>
            <form method="post" action={`/teams/${team.slug}/delete`}>
              <CsrfField csrf={c.get('csrf')} />
              <button type="submit">Delete {team.name}</button>
            </form>
          </>
        ) : null}
      </Layout>,
    );
  });

  app.post('/teams/:slug/manage', async (c) => {
    const found = await admin(c);
    if ('response' in found) return found.response;
    const parsed = teamDetailsFromForm(await formFields(c.req));
    if (!parsed.ok) return problem(c, 400, parsed.error, manageUrl(found.team));
    await updateTeam(deps.store.db, found.team.id, parsed.value);
    return c.redirect(manageUrl(found.team, 'Saved.'), 303);
  });

  app.post('/teams/:slug/delete', async (c) => {
    const found = await admin(c);
    if ('response' in found) return found.response;
    await deleteTeam(deps.store.db, found.team.id, new Date());
    deps.log.info({ team: found.team.id, by: found.viewer.id }, 'team deleted');
    return c.redirect('/teams', 303);
  });

  app.post('/teams/:slug/members', async (c) => {
    const found = await manager(c);
    if ('response' in found) return found.response;
    const form = await formFields(c.req);
    const username = (form.username ?? '').trim();
    if (!username || username.length > USERNAME_MAX)
      return problem(c, 400, 'Give the username of the member to add', manageUrl(found.team));
    // leads add members; only admins appoint leads
    const role = form.role === undefined || form.role === '' ? 'member' : parseRole(form.role);
    if (!role) return problem(c, 400, 'A role is lead or member', manageUrl(found.team));
    if (role === 'lead' && !found.rights.admin)
      return problem(c, 403, 'Only admins appoint leads', manageUrl(found.team));
    const user = await findUserByUsername(deps.store.db, username);
    if (!user || user.banned_at) return problem(c, 404, 'No member has that username', manageUrl(found.team));
    const result = await addMember(deps.store.db, found.team.id, user.id, role, new Date());
    if (result === 'full')
      return problem(c, 409, 'The team has as many members as allowed', manageUrl(found.team));
    return c.redirect(
      manageUrl(
        found.team,
        result === 'added' ? `Added ${user.username}.` : `${user.username} is in the team already.`,
      ),
      303,
    );
  });

  /** a member of the team named by the path, for the member routes */
  const memberOfPath = async (c: Context<AppEnv>, team: Team) => {
    const username = c.req.param('username') ?? '';
    const user = username.length <= USERNAME_MAX ? await findUserByUsername(deps.store.db, username) : null;
    const role = user ? await memberRole(deps.store.db, team.id, user.id) : null;
    return user && role ? { user, role } : null;
  };

  app.post('/teams/:slug/members/:username/remove', async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    const found = await teamOf(c, auth.viewer);
    if ('response' in found) return found.response;
    const { team, rights } = found;
    const target = await memberOfPath(c, team);
    if (!target) return problem(c, 404, 'That member is not in the team', `/teams/${team.slug}`);
    const self = target.user.id === auth.viewer.id;
    // anyone may leave; leads remove members, admins anyone
    if (!self && !(rights.admin || (rights.manage && target.role === 'member')))
      return problem(c, 403, 'Only admins remove leads; leads remove members', `/teams/${team.slug}`);
    await removeMember(deps.store.db, team.id, target.user.id);
    return self && !rights.admin
      ? c.redirect(`/teams/${team.slug}`, 303)
      : c.redirect(manageUrl(team, `Removed ${target.user.username}.`), 303);
  });

  app.post('/teams/:slug/members/:username/role', async (c) => {
    const found = await admin(c);
    if ('response' in found) return found.response;
    const role = parseRole((await formFields(c.req)).role);
    if (!role) return problem(c, 400, 'A role is lead or member', manageUrl(found.team));
    const target = await memberOfPath(c, found.team);
    if (!target) return problem(c, 404, 'That member is not in the team', manageUrl(found.team));
    await setMemberRole(deps.store.db, found.team.id, target.user.id, role);
    return c.redirect(manageUrl(found.team, `${target.user.username} is a ${role} now.`), 303);
  });

  /** The team collection: its members (and admins) add and remove papers. */
  app.post('/teams/:slug/papers', async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    const found = await teamOf(c, auth.viewer);
    if ('response' in found) return found.response;
    const { team, rights } = found;
    if (!rights.collect)
      return problem(c, 403, 'Only the team’s members add to its collection', `/teams/${team.slug}`);
    const form = await formFields(c.req);
    const paperId = formPaperId(form.paper_id);
    if (!paperId)
      return problem(c, 400, 'paper_id must be an arXiv id, e.g. 2501.00001', `/teams/${team.slug}`);
    const action = form.action ?? 'add';
    if (action !== 'add' && action !== 'remove')
      return problem(c, 400, 'The action is add or remove', `/teams/${team.slug}`);
    const result =
      action === 'add'
        ? await addTeamPaper(deps.store.db, team.id, paperId, auth.viewer.id, new Date())
        : await removeTeamPaper(deps.store.db, team.id, paperId);
    if (result === 'no-paper') return problem(c, 404, 'No such paper', `/teams/${team.slug}`);
    if (result === 'full')
      return problem(c, 409, 'The team collection is full (1000 papers)', `/teams/${team.slug}`);
    return redirectLocal(c, deps.site.baseUrl, form.next, `/teams/${team.slug}#collection`);
  });
}
