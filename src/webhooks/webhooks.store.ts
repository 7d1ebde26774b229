import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhooksTable } from '../db/schema.ts';

/** A configured webhook, with its URL and secret: for delivery only; pages show `maskUrl(url)`. */
export type Webhook = Selectable<WebhooksTable>;

export interface NewWebhook {
  name: string;
  kind: Webhook['kind'];
  url: string;
  secret: string;
  events: string[];
  /** a team's webhook: its feature events are only the team members' (null: the whole site's) */
  teamId?: number | null;
  createdBy: number | null;
  now: Date;
}

export async function createWebhook(db: Kysely<Database>, w: NewWebhook): Promise<number> {
  const row = await db
    .insertInto('webhooks')
    .values({
      name: w.name,
      kind: w.kind,
      url: w.url,
      secret: w.secret,
      events: w.events.join(','),
      team_id: w.teamId ?? null,
      created_by: w.createdBy,
      created_at: w.now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every webhook, oldest first (an instance has a handful). */
export async function listWebhooks(db: Kysely<Database>): Promise<Webhook[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('id').execute();
}

export async function findWebhook(db: Kysely<Database>, id: number): Promise<Webhook | null> {
  return (await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Removes a webhook and its outbox rows (the foreign key cascades); false when there was none. */
export async function deleteWebhook(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Remembers a webhook's last failure (already free of its URL), for the admin page. */
export async function recordWebhookError(
  db: Kysely<Database>,
  id: number,
  error: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ last_error: error.slice(0, 500), last_error_at: at.toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function recordWebhookDelivered(db: Kysely<Database>, id: number, at: Date): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ last_delivered_at: at.toISOString() })
    .where('id', '=', id)
    .execute();
}
