import type { Context, Hono } from 'hono';
import { requireViewer } from '../users/require.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { shortDate } from '../web/format.ts';
import { CsrfField, formFields, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { rowId } from '../web/params.ts';
import { localPath } from '../web/redirect.ts';
import { headline } from './email.tsx';
import { FollowButton } from './follow-button.tsx';
import { followTarget } from './follow-keys.ts';
import { follow, MAX_FOLLOWS, unfollow } from './follows.store.ts';
import { readUnsubscribeToken } from './links.ts';
import { type MailSetting, mailSettingOf, setMailSetting } from './mail.store.ts';
import { listNotifications, markAllRead, markRead, type NotificationItem } from './notifications.store.ts';

const WRITE_LIMIT = { max: 120, windowMs: 60_000 };
const PAGE_ITEMS = 50;

/** Follow and unfollow, the notifications page, marking read, the mail setting and its unsubscribe link. */
export function registerFollowRoutes(app: Hono<AppEnv>, deps: WebDeps): void {
  /** The signed-in member within their write limit, or the answer to send instead. */
  const writer = async (c: Context<AppEnv>) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth;
    const limited = await deps.limiter.hit(`follows:${auth.viewer.id}`, WRITE_LIMIT);
    if (!limited.ok)
      return { response: tooManyRequests(c, limited.retryAfterSeconds, 'follows and notifications') };
    return auth;
  };

  const followRoute = (following: boolean) => async (c: Context<AppEnv>) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    const form = await formFields(c.req);
    const target = followTarget(form.kind ?? '', form.value ?? '');
    if ('error' in target) return c.text(target.error, 400);
    if (following) {
      const result = await follow(deps.store.db, auth.viewer.id, target);
      if ('problem' in result)
        return c.text(`You follow ${MAX_FOLLOWS} things already: unfollow some on /following first.`, 409);
    } else await unfollow(deps.store.db, auth.viewer.id, target.kind, target.key);
    const next = localPath(form.next, c.get('origin'), '/following');
    if (c.req.header('hx-request'))
      return c.html(
        <FollowButton
          kind={target.kind}
          value={target.value}
          following={following}
          viewer={auth.viewer}
          csrf={c.get('csrf')}
          next={next}
        />,
      );
    return c.redirect(next, 303);
  };
  app.post('/follows', followRoute(true));
  app.post('/follows/delete', followRoute(false));

  app.get('/notifications', async (c) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth.response;
    const [items, mail] = await Promise.all([
      listNotifications(deps.store.db, auth.viewer.id, PAGE_ITEMS),
      mailSettingOf(deps.store.db, auth.viewer.id),
    ]);
    c.header('Cache-Control', 'private, no-store');
    const csrf = c.get('csrf');
    const unread = items.filter((n) => !n.read).length;
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Notifications', path: '/notifications' }}>
        <h1>Notifications</h1>
        <p class="muted small">
          New papers by the authors, in the categories and topics and for the searches you{' '}
          <a href="/following">follow</a>, replies to your comments, and comments that mention @
          {auth.viewer.username}. Unread first.
        </p>
        {unread > 0 ? (
          <form method="post" action="/notifications/read-all" class="inline">
            <CsrfField csrf={csrf} />
            <button type="submit">Mark all read</button>
          </form>
        ) : null}
        {items.length === 0 ? (
          <p class="empty">
            Nothing yet. Follow an author, a category, a topic or a search (the buttons are on their pages),
            and what is new for you appears here, as do replies to your comments and mentions of you.
          </p>
        ) : (
          <ol class="notifications">
            {items.map((n) => (
              <NotificationRow item={n} csrf={csrf} />
            ))}
          </ol>
        )}
        <section class="box">
          <h2>By email</h2>
          <form method="post" action="/notifications/mail" class="form">
            <CsrfField csrf={csrf} />
            <label for="notification-mail">Send me what is unread</label>
            <select id="notification-mail" name="email">
              <option value="off" selected={mail === 'off'}>
                never (notifications on the site only)
              </option>
              <option value="daily" selected={mail === 'daily'}>
                once a day, in one mail
              </option>
            </select>
            <button type="submit">Save</button>
          </form>
        </section>
      </Layout>,
    );
  });

  app.post('/notifications/read', async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    const form = await formFields(c.req);
    const id = rowId(form.id);
    if (id === null) return c.text('Not a notification: give its number.', 400);
    if (!(await markRead(deps.store.db, auth.viewer.id, id))) return c.text('No such notification.', 404);
    if (c.req.header('hx-request')) return c.body(null, 200);
    return c.redirect(localPath(form.next, c.get('origin'), '/notifications'), 303);
  });

  app.post('/notifications/read-all', async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    await markAllRead(deps.store.db, auth.viewer.id);
    return c.redirect('/notifications', 303);
  });

  app.post('/notifications/mail', async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    const email = (await formFields(c.req)).email;
    if (email !== 'off' && email !== 'daily') return c.text('Notification mail is off or daily.', 400);
    await setMailSetting(deps.store.db, auth.viewer.id, email as MailSetting);
    return c.redirect('/notifications', 303);
  });

  // the link in every notification mail: the signed token is the authority, no login needed
  app.get('/notifications/unsubscribe/:token', async (c) => {
    const userId = readUnsubscribeToken(deps.secret, c.req.param('token'));
    if (userId === null) return badLink(c, deps);
    const mail = await mailSettingOf(deps.store.db, userId);
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{ title: 'Notification mail', path: '/notifications/unsubscribe' }}
      >
        <h1>Stop notification mail?</h1>
        {mail === 'off' ? (
          <Notice kind="ok">Notification mail is off: none goes out to you.</Notice>
        ) : (
          <form method="post" action={`/notifications/unsubscribe/${c.req.param('token')}`}>
            <button type="submit">Stop notification mail</button>
          </form>
        )}
        <p class="small muted">Notifications stay on the site; digests are managed from their own mails.</p>
      </Layout>,
    );
  });

  // RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` here
  app.post('/notifications/unsubscribe/:token', async (c) => {
    const userId = readUnsubscribeToken(deps.secret, c.req.param('token'));
    if (userId === null) return badLink(c, deps);
    await setMailSetting(deps.store.db, userId, 'off');
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{ title: 'Notification mail', path: '/notifications/unsubscribe' }}
      >
        <h1>Notification mail is off</h1>
        <Notice kind="ok">
          No more notification mail goes to you. Switch it on again on /notifications.
        </Notice>
      </Layout>,
    );
  });
}

function badLink(c: Context<AppEnv>, deps: WebDeps) {
  c.status(404);
  return c.html(
    <ErrorPage {...who(c)} site={deps.site} status={404} title="This link is not valid" path={c.req.path}>
      <p>The link may be cut short: copy all of it from the mail.</p>
    </ErrorPage>,
  );
}

function NotificationRow(props: { item: NotificationItem; csrf: string | null }) {
  const n = props.item;
  const href = `/papers/${n.paperId}${n.commentId ? `#comment-${n.commentId}` : ''}`;
  return (
    <li class={n.read ? 'notification' : 'notification unread'} id={`notification-${n.id}`}>
      <strong>{headline(n)}</strong> <span class="muted small">{shortDate(n.createdAt)}</span>
      <br />
      <a href={href}>{n.paperTitle}</a>
      {n.commentBody ? <p class="small">“{n.commentBody.slice(0, 300)}”</p> : null}
      {n.read ? null : (
        <form
          method="post"
          action="/notifications/read"
          class="inline"
          hx-post="/notifications/read"
          hx-target={`#notification-${n.id}`}
          hx-swap="outerHTML"
        >
          <CsrfField csrf={props.csrf} />
          <input type="hidden" name="id" value={String(n.id)} />
          <button type="submit" class="link small">
            Mark read
          </button>
        </form>
      )}
    </li>
  );
}
