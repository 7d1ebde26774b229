import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { WebhookKind } from '../db/schema.ts';
import { findTeam, listTeams, type Team } from '../teams/teams.store.ts';
import type { WebDeps } from '../web/deps.ts';
import type { AppEnv } from '../web/env.ts';
import { CsrfField, Field, formLists, Notice } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { rowId } from '../web/params.ts';
import { sendTestPost } from './deliver.ts';
import { type DeliveryProblem, deliveryCounts, recentDeliveryProblems } from './deliveries.store.ts';
import {
  EVENT_LABELS,
  eventsFromColumn,
  KIND_LABELS,
  maskUrl,
  WEBHOOK_EVENTS,
  WEBHOOK_KINDS,
  type WebhookInputResult,
  webhookFromForm,
} from './input.ts';
import { newWebhookSecret } from './signature.ts';
import { createWebhook, deleteWebhook, findWebhook, listWebhooks, type Webhook } from './webhooks.store.ts';

const PROBLEMS_SHOWN = 50;
/** an admin's changes and test posts: plenty by hand, not a loop aimed at someone's chat */
const WRITES = { max: 30, windowMs: 60_000 };

type Page = {
  status?: 200 | 201 | 400 | 404;
  notice?: { kind: 'error' | 'ok'; text: string; secret?: string };
  form?: {
    values: Record<string, string | string[]>;
    errors: Extract<WebhookInputResult, { ok: false }>['errors'] & { team?: string };
  };
};

/**
 * `/admin/webhooks`: add, test and remove the webhooks that post the day's top papers and new features to team
 * chat (docs/webhooks.md), and the deliveries that failed or wait for a retry. URLs show masked: the path of an
 * incoming webhook URL is what lets anyone post. `guard` decides who may come in (app.tsx lets admins in);
 * every POST passes the app's CSRF check and a per-admin rate limit.
 */
export function registerWebhookAdmin(
  app: Hono<AppEnv>,
  deps: Pick<WebDeps, 'store' | 'config' | 'site' | 'log' | 'limiter'>,
  guard: MiddlewareHandler<AppEnv>,
): void {
  const render = async (c: Context<AppEnv>, page: Page = {}) => {
    const db = deps.store.db;
    const [webhooks, counts, problems, teams] = await Promise.all([
      listWebhooks(db),
      deliveryCounts(db),
      recentDeliveryProblems(db, PROBLEMS_SHOWN),
      listTeams(db),
    ]);
    // an admin page is never kept by the page cache (it would skip the guard) nor by a browser or proxy
    c.header('Cache-Control', 'no-store');
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Team chat', path: '/admin/webhooks' }}>
        <h1>Team chat</h1>
        <p class="muted small">
          Posts the day's top papers and new features to Slack, Mattermost, Discord or Microsoft Teams, or as
          signed JSON to any URL. Each event goes to each webhook once; failed posts are retried with growing
          waits
          {deps.config.WEBHOOKS_ENABLED ? '' : ' (the scheduled posting is off: WEBHOOKS_ENABLED=false)'}.
        </p>
        {page.notice ? (
          <Notice kind={page.notice.kind}>
            {page.notice.text}
            {page.notice.secret ? (
              <>
                {' '}
                Signing secret, shown only now: <code>{page.notice.secret}</code>
              </>
            ) : null}
          </Notice>
        ) : null}
        <h2>Webhooks</h2>
        {webhooks.length === 0 ? (
          <p class="empty">No webhook yet. Add one below.</p>
        ) : (
          <WebhookTable webhooks={webhooks} counts={counts} teams={teams} csrf={c.get('csrf')} />
        )}
        <h2>Recent failures</h2>
        {problems.length === 0 ? <p class="muted">None.</p> : <ProblemTable problems={problems} />}
        <h2>Add a webhook</h2>
        <AddForm csrf={c.get('csrf')} form={page.form} teams={teams} />
      </Layout>,
      page.status ?? 200,
    );
  };

  /** the guard passed; the rate limit and the viewer, or the answer to send */
  const writer = async (c: Context<AppEnv>) => {
    const viewer = c.get('viewer');
    if (!viewer) return { response: c.text('Only admins can do this.', 403) };
    const verdict = await deps.limiter.hit(`webhooks:${viewer.id}`, WRITES);
    if (!verdict.ok) return { response: tooManyRequests(c, verdict.retryAfterSeconds, 'webhook changes') };
    return { viewer };
  };

  app.get('/admin/webhooks', guard, (c) => render(c));

  app.post('/admin/webhooks', guard, async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    const fields = await formLists(c.req);
    const parsed = webhookFromForm(fields);
    // optional: a team's webhook posts only what its members featured or upvoted (checked here on both
    // engines; PostgreSQL's foreign key would refuse a missing team too, SQLite has none: migration 0013)
    const teamField = typeof fields.team_id === 'string' ? fields.team_id : '';
    const teamId = teamField === '' ? null : rowId(teamField);
    const team = teamId === null ? null : await findTeam(deps.store.db, teamId);
    const teamError = teamField !== '' && !team ? 'Choose one of the teams, or the whole site.' : undefined;
    if (!parsed.ok || teamError) {
      return render(c, {
        status: 400,
        notice: { kind: 'error', text: 'The webhook was not added: see the fields below.' },
        form: { values: fields, errors: { ...(parsed.ok ? {} : parsed.errors), team: teamError } },
      });
    }
    const secret = newWebhookSecret();
    const id = await createWebhook(deps.store.db, {
      ...parsed.value,
      teamId: team?.id ?? null,
      secret,
      createdBy: auth.viewer.id,
      now: new Date(),
    });
    deps.log.info({ webhook: id, kind: parsed.value.kind, by: auth.viewer.id }, 'webhook added');
    return render(c, {
      status: 201,
      notice: {
        kind: 'ok',
        text: `Added “${parsed.value.name}”. Every post carries X-Paperboy-Signature, an HMAC-SHA256 under this secret.`,
        secret,
      },
    });
  });

  const withWebhook =
    (action: (c: Context<AppEnv>, webhook: Webhook) => Promise<Response>) => async (c: Context<AppEnv>) => {
      const auth = await writer(c);
      if ('response' in auth) return auth.response;
      const id = rowId(c.req.param('id'));
      const webhook = id === null ? null : await findWebhook(deps.store.db, id);
      if (!webhook)
        return render(c, {
          status: 404,
          notice: { kind: 'error', text: 'No such webhook: it may have been removed.' },
        });
      return action(c, webhook);
    };

  app.post(
    '/admin/webhooks/:id/test',
    guard,
    withWebhook(async (c, webhook) => {
      const outcome = await sendTestPost(deps, webhook);
      return render(c, {
        notice:
          outcome.kind === 'delivered'
            ? {
                kind: 'ok',
                text: `“${webhook.name}” answered ${outcome.status}: the test message was posted.`,
              }
            : { kind: 'error', text: `The test post to “${webhook.name}” failed: ${outcome.error}.` },
      });
    }),
  );

  app.post(
    '/admin/webhooks/:id/delete',
    guard,
    withWebhook(async (c, webhook) => {
      await deleteWebhook(deps.store.db, webhook.id);
      deps.log.info({ webhook: webhook.id }, 'webhook removed');
      return c.redirect('/admin/webhooks', 303);
    }),
  );
}

function WebhookTable(props: {
  webhooks: Webhook[];
  counts: Map<number, Record<string, number>>;
  teams: Team[];
  csrf: string | null;
}) {
  const teamName = (id: number | null) =>
    id === null ? 'the whole site' : (props.teams.find((t) => t.id === id)?.name ?? '—');
  return (
    <div class="table-scroll">
      <table class="data">
        <thead>
          <tr>
            <th>name</th>
            <th>kind</th>
            <th>URL</th>
            <th>events</th>
            <th>of</th>
            <th>delivered</th>
            <th>waiting</th>
            <th>failed</th>
            <th>last delivered</th>
            <th>last error</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.webhooks.map((w) => {
            const n = props.counts.get(w.id) ?? {};
            return (
              <tr>
                <td>{w.name}</td>
                <td>{KIND_LABELS[w.kind]}</td>
                <td>
                  <code>{maskUrl(w.url)}</code>
                </td>
                <td>{eventsFromColumn(w.events).join(', ')}</td>
                <td>{teamName(w.team_id)}</td>
                <td class="num">{n.delivered ?? 0}</td>
                <td class="num">{(n.pending ?? 0) + (n.sending ?? 0)}</td>
                <td class="num">{n.failed ?? 0}</td>
                <td>{time(w.last_delivered_at)}</td>
                <td class="small">{w.last_error ? `${time(w.last_error_at)}: ${w.last_error}` : ''}</td>
                <td>
                  <form method="post" action={`/admin/webhooks/${w.id}/test`}>
                    <CsrfField csrf={props.csrf} />
                    <button type="submit">Send a test</button>
                  </form>
                  <form method="post" action={`/admin/webhooks/${w.id}/delete`}>
                    <CsrfField csrf={props.csrf} />
                    <button type="submit" class="link">
                      Remove
                    </button>
                  </form>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ProblemTable(props: { problems: DeliveryProblem[] }) {
  return (
    <div class="table-scroll">
      <table class="data">
        <thead>
          <tr>
            <th>webhook</th>
            <th>event</th>
            <th>state</th>
            <th>attempts</th>
            <th>answer</th>
            <th>error</th>
            <th>next attempt</th>
          </tr>
        </thead>
        <tbody>
          {props.problems.map((p) => (
            <tr>
              <td>{p.webhookName}</td>
              <td>{p.eventKey}</td>
              <td>{p.status === 'failed' ? 'failed' : 'retrying'}</td>
              <td class="num">{p.attempts}</td>
              <td class="num">{p.lastStatus ?? '—'}</td>
              <td class="small">{p.error ?? ''}</td>
              <td>{p.status === 'failed' ? '—' : time(p.nextAttemptAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AddForm(props: { csrf: string | null; form: Page['form']; teams: Team[] }) {
  const values = props.form?.values ?? {};
  const errors = props.form?.errors ?? {};
  const text = (name: string) => {
    const v = values[name];
    return typeof v === 'string' ? v : '';
  };
  const chosenKind = text('kind');
  const chosenEvents = props.form ? [values.events ?? []].flat() : [...WEBHOOK_EVENTS];
  return (
    <form method="post" action="/admin/webhooks" class="stack">
      <CsrfField csrf={props.csrf} />
      <Field
        label="Name"
        name="name"
        value={text('name')}
        error={errors.name}
        maxlength={80}
        hint="e.g. #papers"
      />
      <p class="field">
        <label for="field-kind">Kind</label>
        <select id="field-kind" name="kind" aria-invalid={errors.kind ? 'true' : undefined}>
          {WEBHOOK_KINDS.map((k: WebhookKind) => (
            <option value={k} selected={k === chosenKind}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        {errors.kind ? <small class="error">{errors.kind}</small> : null}
      </p>
      <Field
        label="Incoming webhook URL"
        name="url"
        type="url"
        value=""
        error={errors.url}
        maxlength={2000}
        autocomplete="off"
        hint="A secret: it is stored, never logged, and shown masked."
      />
      <p class="field">
        <label for="field-team_id">Of</label>
        <select id="field-team_id" name="team_id" aria-invalid={errors.team ? 'true' : undefined}>
          <option value="">the whole site</option>
          {props.teams.map((t) => (
            <option value={String(t.id)} selected={text('team_id') === String(t.id)}>
              team {t.name}: only features its members submitted or upvoted
            </option>
          ))}
        </select>
        {errors.team ? <small class="error">{errors.team}</small> : null}
      </p>
      <fieldset>
        <legend>Post</legend>
        {WEBHOOK_EVENTS.map((e) => (
          <label>
            <input type="checkbox" name="events" value={e} checked={chosenEvents.includes(e)} />{' '}
            {EVENT_LABELS[e]}
          </label>
        ))}
        {errors.events ? <small class="error">{errors.events}</small> : null}
      </fieldset>
      <button type="submit" class="primary">
        Add the webhook
      </button>
    </form>
  );
}

function time(iso: string | null): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—';
}
