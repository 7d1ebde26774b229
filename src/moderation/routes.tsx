import type { Context, Hono } from 'hono';
import { PAPER_ID, paperIdParam } from '../papers/paper-path.ts';
import { hasRole, requireViewer } from '../users/require.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { paperPath, shortDate } from '../web/format.ts';
import { formFields } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { moderationLog, setBanned, setPaperHidden, setRole, unfeaturePaper } from './moderation.store.ts';

const LOG_PAGE = 100;

/** Moderators' actions (each logged in the same transaction) and the public moderation log. */
export function registerModerationRoutes(app: Hono<AppEnv>, deps: WebDeps): void {
  const moderatorOnly = (c: Context<AppEnv>) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth;
    if (!hasRole(auth.viewer, 'moderator')) return { response: c.text('Only moderators can do this.', 403) };
    return auth;
  };
  const reasonOf = async (c: Context<AppEnv>) =>
    ((await formFields(c.req)).reason ?? '').trim().slice(0, 500) || null;

  // one route per action: Hono matches no second pattern parameter after an id with a slash (hep-th/9901001)
  const onPaper = (action: 'unfeature' | 'hide' | 'unhide') => async (c: Context<AppEnv>) => {
    const auth = moderatorOnly(c);
    if ('response' in auth) return auth.response;
    const parsed = paperIdParam(c.req.param('id'));
    if (!parsed) return c.text('No such paper.', 404);
    const reason = await reasonOf(c);
    const done =
      action === 'unfeature'
        ? await unfeaturePaper(deps.store.db, auth.viewer.id, parsed.id, reason)
        : await setPaperHidden(deps.store.db, auth.viewer.id, parsed.id, action === 'hide', reason);
    if (!done) return c.text('Nothing to do: the paper is not in that state.', 409);
    return c.redirect(paperPath(parsed.id), 303);
  };
  for (const action of ['unfeature', 'hide', 'unhide'] as const)
    app.post(`/moderation/papers/${PAPER_ID}/${action}`, onPaper(action));

  app.post('/moderation/users/:username/:action', async (c) => {
    const auth = moderatorOnly(c);
    if ('response' in auth) return auth.response;
    const { username, action } = c.req.param();
    const reason = await reasonOf(c);
    if (action === 'ban' || action === 'unban') {
      const result = await setBanned(deps.store.db, auth.viewer.id, username, action === 'ban', reason);
      const status = { done: 303, 'not-found': 404, protected: 403, unchanged: 409 }[result];
      if (result !== 'done') return c.text(`Cannot ${action} ${username}: ${result}.`, status as 404);
      return c.redirect(`/u/${encodeURIComponent(username)}`, 303);
    }
    if (action === 'moderator' || action === 'member') {
      if (!hasRole(auth.viewer, 'admin')) return c.text('Only admins change roles.', 403);
      if (!(await setRole(deps.store.db, auth.viewer.id, username, action)))
        return c.text('No such member.', 404);
      return c.redirect(`/u/${encodeURIComponent(username)}`, 303);
    }
    return c.text('Unknown action.', 404);
  });

  app.get('/moderation', async (c) => {
    const page = Math.min(Math.max(1, Number(c.req.query('page')) || 1), 1000);
    const rows = await moderationLog(deps.store.db, LOG_PAGE + 1, (page - 1) * LOG_PAGE);
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Moderation log', path: '/moderation' }}>
        <h1>Moderation log</h1>
        <p class="muted">
          Every action the moderators take, newest first. Entries cannot be edited or removed.
        </p>
        {rows.length === 0 ? <p class="empty">No moderation yet.</p> : null}
        <table class="tokens">
          <tbody>
            {rows.slice(0, LOG_PAGE).map((r) => (
              <tr>
                <td>{shortDate(r.created_at)}</td>
                <td>
                  <a href={`/u/${r.moderator}`}>{r.moderator}</a>
                </td>
                <td>{r.action}</td>
                <td>{targetLink(r.target)}</td>
                <td>{r.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > LOG_PAGE ? <a href={`/moderation?page=${page + 1}`}>Older →</a> : null}
      </Layout>,
    );
  });
}

function targetLink(target: string) {
  const [kind, value] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
  if (kind === 'paper') return <a href={paperPath(value)}>paper {value}</a>;
  if (kind === 'user') return <a href={`/u/${value}`}>{value}</a>;
  return target;
}
