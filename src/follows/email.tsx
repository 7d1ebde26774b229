import { describeFollow } from './follow-keys.ts';
import type { NotificationItem } from './notifications.store.ts';

/**
 * The notification mail, text and HTML, from a member's unread notifications. Pure; hono/jsx escapes the text.
 */
export interface NotificationMailLinks {
  paper: (id: string, commentId: number | null) => string;
  notifications: string;
  unsubscribe: string;
}

/** One line saying what happened: "New paper by Jane Doe", "alice replied to your comment". */
export function headline(n: NotificationItem): string {
  if (n.kind === 'reply') return `${n.commentBy ?? 'Someone'} replied to your comment`;
  if (n.kind === 'mention') return `${n.commentBy ?? 'Someone'} mentioned you`;
  return n.followKind && n.followValue
    ? `New paper: ${describeFollow(n.followKind, n.followValue)}`
    : 'New paper you follow';
}

function excerpt(text: string | null, max = 200): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function composeNotificationMail(
  siteName: string,
  items: NotificationItem[],
  more: number,
  links: NotificationMailLinks,
): { subject: string; text: string; html: string } {
  const count = items.length + more;
  const subject = `${count} new notification${count === 1 ? '' : 's'} · ${siteName}`;
  const lines = [`What happened on ${siteName} since your last mail:`, ''];
  for (const n of items) {
    lines.push(`* ${headline(n)}`, `  ${n.paperTitle}`);
    if (n.commentBody) lines.push(`  “${excerpt(n.commentBody)}”`);
    lines.push(`  ${links.paper(n.paperId, n.commentId)}`, '');
  }
  if (more > 0) lines.push(`…and ${more} more: ${links.notifications}`, '');
  lines.push(
    '--',
    `All your notifications: ${links.notifications}`,
    `Stop these mails: ${links.unsubscribe}`,
    '',
  );
  const html = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{subject}</title>
      </head>
      <body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;max-width:640px;margin:0 auto;padding:16px;">
        <p>What happened on {siteName} since your last mail:</p>
        <ul>
          {items.map((n) => (
            <li style="margin-bottom:12px;">
              <strong>{headline(n)}</strong>
              <br />
              <a href={links.paper(n.paperId, n.commentId)}>{n.paperTitle}</a>
              {n.commentBody ? <div style="color:#555;">“{excerpt(n.commentBody)}”</div> : null}
            </li>
          ))}
        </ul>
        {more > 0 ? (
          <p>
            …and {more} more: <a href={links.notifications}>all your notifications</a>
          </p>
        ) : null}
        <p style="color:#777;font-size:13px;">
          <a href={links.notifications}>All your notifications</a> ·{' '}
          <a href={links.unsubscribe}>Stop these mails</a>
        </p>
      </body>
    </html>
  );
  return { subject, text: lines.join('\n'), html: `<!DOCTYPE html>${html.toString()}` };
}
