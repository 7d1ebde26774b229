import type { Context, Hono } from 'hono';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { CsrfField, Field, formFields, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { rowId } from '../web/params.ts';
import { createInvitation, type Invitation, listInvitations, revokeInvitation } from './invitations.store.ts';
import { requireRole } from './require.ts';
import { emailSchema } from './validation.ts';

const INVITES_PER_HOUR = { max: 200, windowMs: 60 * 60_000 };

/**
 * `/admin/invitations`: admins make single-use sign-up links (optionally for one email address), see which were
 * used and by whom, and withdraw unused ones. The link is shown once, when made: only its hash is stored.
 */
export function registerInvitationPages(app: Hono<AppEnv>, deps: WebDeps): void {
  const admin = requireRole('admin');
  app.get('/admin/invitations', admin, async (c) => invitationsPage(c, deps, {}));
  app.post('/admin/invitations', admin, async (c) => {
    const viewer = c.get('viewer')!;
    const limited = await deps.limiter.hit(`invite:${viewer.id}`, INVITES_PER_HOUR);
    if (!limited.ok) return tooManyRequests(c, limited.retryAfterSeconds, 'invitations');
    const form = await formFields(c.req);
    const emailText = (form.email ?? '').trim();
    const email = emailText ? emailSchema.safeParse(emailText) : null;
    if (email && !email.success)
      return invitationsPage(c, deps, { error: email.error.issues[0]!.message, form }, 400);
    const note = (form.note ?? '').trim();
    if (note.length > 200)
      return invitationsPage(c, deps, { error: 'Keep the note under 200 characters.', form }, 400);
    const token = await createInvitation(deps.store.db, {
      createdBy: viewer.id,
      email: email?.data ?? null,
      note,
      days: deps.config.INVITATION_DAYS,
    });
    deps.log.info({ by: viewer.username }, 'invitation made');
    return invitationsPage(c, deps, { link: `${deps.site.baseUrl}/invite/${token}` }, 201);
  });
  app.post('/admin/invitations/:id/revoke', admin, async (c) => {
    const id = rowId(c.req.param('id'));
    if (id === null || !(await revokeInvitation(deps.store.db, id)))
      return invitationsPage(c, deps, { error: 'No unused invitation has that number.' }, 404);
    return c.redirect('/admin/invitations', 303);
  });
}

async function invitationsPage(
  c: Context<AppEnv>,
  deps: WebDeps,
  state: { error?: string; link?: string; form?: Record<string, string> },
  status = 200,
) {
  const invitations = await listInvitations(deps.store.db);
  c.status(status as 200);
  c.header('Cache-Control', 'no-store');
  const { SIGNUP, SIGNUP_EMAIL_DOMAINS, INVITATION_DAYS } = deps.config;
  return c.html(
    <Layout {...who(c)} site={deps.site} meta={{ title: 'Invitations', path: '/admin/invitations' }}>
      <h1>Invitations</h1>
      <p class="muted">
        {SIGNUP === 'invitation'
          ? 'Joining is by invitation (SIGNUP=invitation).'
          : 'Anyone may sign up (SIGNUP=open); invitations still work.'}{' '}
        {SIGNUP_EMAIL_DOMAINS.length > 0
          ? `New accounts must use an address at ${SIGNUP_EMAIL_DOMAINS.join(', ')}, invited or not.`
          : ''}{' '}
        A link works once and for {INVITATION_DAYS} days.
      </p>
      {state.error ? <Notice kind="error">{state.error}</Notice> : null}
      {state.link ? (
        <Notice kind="ok">
          Send this link to the person you invite; it is shown only now:{' '}
          <code class="secret">{state.link}</code>
        </Notice>
      ) : null}
      <form method="post" action="/admin/invitations" class="form">
        <CsrfField csrf={c.get('csrf')} />
        <Field
          label="Email (optional)"
          name="email"
          type="email"
          value={state.form?.email}
          maxlength={254}
          required={false}
          hint="When given, only this address can use the link."
        />
        <Field
          label="Note (optional)"
          name="note"
          value={state.form?.note}
          maxlength={200}
          required={false}
          hint="Who it is for."
        />
        <button type="submit" class="primary">
          Make an invitation link
        </button>
      </form>
      {invitations.length === 0 ? (
        <p class="empty">No invitations yet.</p>
      ) : (
        <table class="tokens">
          <thead>
            <tr>
              <th>#</th>
              <th>For</th>
              <th>Made</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <InvitationRow invitation={i} csrf={c.get('csrf')} />
            ))}
          </tbody>
        </table>
      )}
    </Layout>,
  );
}

function InvitationRow(props: { invitation: Invitation; csrf: string | null }) {
  const i = props.invitation;
  const state =
    i.state === 'used'
      ? `used by ${i.usedBy ?? 'a deleted account'} on ${i.usedAt!.slice(0, 10)}`
      : i.state === 'usable'
        ? `open until ${i.expiresAt.slice(0, 10)}`
        : i.state;
  return (
    <tr>
      <td>{i.id}</td>
      <td>
        {i.email ?? 'anyone'}
        {i.note ? <span class="muted"> · {i.note}</span> : null}
      </td>
      <td>
        {i.createdAt.slice(0, 10)}
        {i.createdBy ? ` by ${i.createdBy}` : ''}
      </td>
      <td>{state}</td>
      <td>
        {i.state === 'usable' ? (
          <form method="post" action={`/admin/invitations/${i.id}/revoke`}>
            <CsrfField csrf={props.csrf} />
            <button type="submit">Withdraw</button>
          </form>
        ) : null}
      </td>
    </tr>
  );
}
