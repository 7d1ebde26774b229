import type { Generated } from 'kysely';

/** The tables as Kysely sees them. Column names are snake_case in SQL. */
export interface Database {
  papers: PapersTable;
  paper_categories: PaperCategoriesTable;
  features: FeaturesTable;
  settings: { key: string; value: string };
  users: UsersTable;
  user_identities: UserIdentitiesTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  password_resets: PasswordResetsTable;
  votes: VotesTable;
  comments: CommentsTable;
  moderation_log: ModerationLogTable;
  subscriptions: SubscriptionsTable;
  digest_outbox: DigestOutboxTable;
  harvest_state: HarvestStateTable;
  harvest_runs: HarvestRunsTable;
  arxiv_deletions: ArxivDeletionsTable;
  collections: CollectionsTable;
  collection_papers: CollectionPapersTable;
  author_claims: AuthorClaimsTable;
  follows: FollowsTable;
  notifications: NotificationsTable;
  notification_settings: NotificationSettingsTable;
  notification_mail: NotificationMailTable;
  notify_state: { name: string; last_id: number; updated_at: string };
  paper_keyphrases: PaperKeyphrasesTable;
  keyphrase_index: { phrase: string; paper_pk: number };
  recommendations: RecommendationsTable;
  recommendation_state: RecommendationStateTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  team_papers: TeamPapersTable;
}

export interface CollectionsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  description: string;
  /** 0 private (owner only), 1 public */
  public: number;
  created_at: string;
  updated_at: string;
}

export interface CollectionPapersTable {
  collection_id: number;
  paper_id: string;
  position: number;
  added_at: string;
}

export type ClaimStatus = 'pending' | 'approved' | 'rejected';

export interface AuthorClaimsTable {
  id: Generated<number>;
  user_id: number;
  /** authorKey() of the name (src/authors/names.ts) */
  author_key: string;
  author_name: string;
  evidence: string;
  status: Generated<ClaimStatus>;
  created_at: string;
  decided_at: string | null;
  decided_by: number | null;
}

export interface PaperKeyphrasesTable {
  paper_pk: number;
  /** the paper's fingerprint when its phrases were extracted: a changed paper is done again */
  fingerprint: string;
  /** JSON array of phrases, best first */
  phrases: string;
}

export interface RecommendationsTable {
  user_id: number;
  rank: number;
  paper_id: string;
  score: number;
  reason_kind: 'upvoted' | 'collected';
  reason_paper_id: string;
  computed_at: string;
}

export interface RecommendationStateTable {
  user_id: number;
  /** a hash of the member's positives when last trained: unchanged positives and papers need no new run */
  positives_hash: string;
  positives: number;
  computed_at: string;
}

export type SubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'suspended';

export interface SubscriptionsTable {
  id: Generated<number>;
  email: string;
  user_id: number | null;
  frequency: 'daily' | 'weekly';
  /** JSON array of arXiv categories */
  categories: string;
  /** JSON array of keywords */
  keywords: string;
  paper_count: number;
  status: Generated<SubscriptionStatus>;
  bounces: Generated<number>;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  /** 1: the member's "for you" recommendations are added to the digest */
  for_you: Generated<number>;
  /** a team digest: the papers come from this team's list instead of the site's (src/teams/) */
  team_id: Generated<number | null>;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface DigestOutboxTable {
  subscription_id: number;
  /** daily:YYYY-MM-DD or weekly:YYYY-Www */
  period: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  message_id: string | null;
  error: string | null;
  created_at: string;
  sent_at: string | null;
}

export type Role = 'member' | 'moderator' | 'admin';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  password_hash: string;
  role: Generated<Role>;
  /** 0 or 1: whether the profile lists the member's upvotes */
  show_upvotes: Generated<number>;
  created_at: string;
  banned_at: string | null;
  /** bumped to revoke the member's secret feed URLs (src/users/feed-keys.ts) */
  feed_key_version: Generated<number>;
}

/** An OpenID Connect account linked to a member. */
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: number;
  created_at: string;
  last_login_at: string;
}

/** A sign-up link made by an admin: single use, expiring, optionally for one email address. */
export interface InvitationsTable {
  id: Generated<number>;
  token_hash: string;
  created_by: number | null;
  email: string | null;
  note: Generated<string>;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: number | null;
  revoked_at: string | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface VotesTable {
  user_id: number;
  paper_id: string;
  created_at: string;
}

export interface CommentsTable {
  id: Generated<number>;
  paper_id: string;
  user_id: number;
  parent_id: number | null;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  deleted_by: number | null;
}

export interface ModerationLogTable {
  id: Generated<number>;
  created_at: string;
  moderator_id: number;
  action: string;
  target: string;
  reason: string | null;
}

export interface PapersTable {
  pk: Generated<number>;
  id: string;
  version: number | null;
  title: string;
  /** JSON array of names */
  authors: string;
  abstract: string;
  /** space-separated, primary first */
  categories: string;
  primary_category: string | null;
  published_at: string | null;
  updated_at: string | null;
  comments: string | null;
  journal_ref: string | null;
  doi: string | null;
  github_repo: string | null;
  project_page: string | null;
  github_stars: number | null;
  ai_summary: string | null;
  ai_summary_model: string | null;
  /** JSON array */
  ai_keywords: string;
  imported_upvotes: number;
  upvotes: number;
  num_comments: number;
  fingerprint: string;
  created_at: string;
  modified_at: string;
  hidden_at: Generated<string | null>;
  /** 'local' when this instance's model wrote ai_summary, null when it was imported */
  ai_summary_origin: Generated<string | null>;
  /** the organization Hugging Face says the paper was submitted for (migration 0015) */
  organization: Generated<string | null>;
}

export interface PaperCategoriesTable {
  category: string;
  paper_pk: number;
  published_at: string | null;
}

export interface FeaturesTable {
  paper_id: string;
  /** YYYY-MM-DD, UTC */
  day: string;
  submitted_at: string;
  submitter: string | null;
  trending_score: number;
  source: string;
  created_at: string;
  submitter_id: Generated<number | null>;
}

export interface HarvestStateTable {
  /** 'daily', or 'backfill:FROM..UNTIL' while a back-fill is in progress */
  scope: string;
  set_spec: string;
  metadata_prefix: string;
  /** YYYY-MM-DD: the `from` of the next list */
  next_from: string | null;
  /** the list in progress: its from, until, first responseDate (day) and the token to send next */
  list_from: string | null;
  list_until: string | null;
  list_started: string | null;
  token: string | null;
  token_expires_at: string | null;
  pages: number;
  last_success_at: string | null;
  updated_at: string;
}

export interface HarvestRunsTable {
  id: Generated<number>;
  /** 'schedule' | 'cli' | 'backfill' */
  trigger: string;
  /** 'running' | 'ok' | 'failed' | 'forbidden' | 'stopped' | 'interrupted' */
  status: string;
  started_at: string;
  finished_at: string | null;
  heartbeat_at: string;
  pid: number;
  host: string;
  /** space-separated */
  sets: string;
  from_day: string | null;
  until_day: string | null;
  pages: Generated<number>;
  records: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  deleted: Generated<number>;
  filtered: Generated<number>;
  rejected: Generated<number>;
  errors: Generated<number>;
  error: string | null;
}

export interface ArxivDeletionsTable {
  paper_id: string;
  datestamp: string | null;
  first_seen_at: string;
}

/** SQLite's FTS5 table of papers (migration 0001) and its titles-only twin (migration 0010). */
export const FTS_TABLE = 'papers_fts';
export const TITLE_FTS_TABLE = 'papers_title_fts';
/** Both full-text indexes, for rebuilds, merges and copies. */
export const FTS_TABLES = [FTS_TABLE, TITLE_FTS_TABLE] as const;

export type WebhookKind = 'slack' | 'mattermost' | 'discord' | 'teams' | 'json';

/** A chat or JSON endpoint the day's top papers and new features are posted to (src/webhooks/). */
export interface WebhooksTable {
  id: Generated<number>;
  name: string;
  kind: WebhookKind;
  /** a secret: never logged, shown masked */
  url: string;
  /** the HMAC key of the X-Paperboy-Signature header */
  secret: string;
  /** comma-separated event types: daily-top, feature */
  events: string;
  /** a team's webhook posts only features its members submitted or upvoted (foreign key on PostgreSQL only: 0013) */
  team_id: number | null;
  created_by: number | null;
  created_at: string;
  disabled_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  last_delivered_at: string | null;
}

export type WebhookDeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** The webhook outbox: one row per (webhook, event), unique. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  /** daily-top:YYYY-MM-DD or feature:<arXiv id>; the X-Paperboy-Event-Id header */
  event_key: string;
  /** the JSON body, made once when the event was enqueued */
  body: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  /** when a pending row is due, or when a sending row's lease ends */
  next_attempt_at: string;
  last_status: number | null;
  error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** A group of members with its own page, lists, collection and digest (src/teams/, docs/teams.md). */
export interface TeamsTable {
  id: Generated<number>;
  /** lowercase letters, digits and single hyphens: the URL /teams/{slug} */
  slug: string;
  name: string;
  description: Generated<string>;
  created_at: string;
}

export type TeamRole = 'lead' | 'member';

export interface TeamMembersTable {
  team_id: number;
  user_id: number;
  role: Generated<TeamRole>;
  added_at: string;
}

/** The team's collection: papers its members saved for the team. */
export interface TeamPapersTable {
  team_id: number;
  paper_id: string;
  added_by: number | null;
  added_at: string;
}

export type FollowKind = 'author' | 'category' | 'topic' | 'search';

/** What a member follows (src/follows/): `key` is the value normalised for matching, unique per member and kind. */
export interface FollowsTable {
  id: Generated<number>;
  user_id: number;
  kind: FollowKind;
  /** as the member saw it: an author name, cs.CL, a keyphrase, a search query */
  value: string;
  key: string;
  created_at: string;
}

export type NotificationKind = 'paper' | 'reply' | 'mention';

/** One thing a member is told: a new paper matching a follow, a reply to their comment, a mention. */
export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  paper_pk: number;
  /** the reply or the comment that mentions them; null for papers */
  comment_id: number | null;
  /** the first follow that matched (papers) */
  follow_id: number | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationSettingsTable {
  user_id: number;
  email: 'off' | 'daily';
  /** the highest notification id already put in a mail */
  mailed_through: number;
  updated_at: string;
}

/** The notification mail outbox: one row per (member, day), the notifications after_id < id ≤ through_id. */
export interface NotificationMailTable {
  user_id: number;
  day: string;
  after_id: number;
  through_id: number;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  message_id: string | null;
  error: string | null;
  created_at: string;
  sent_at: string | null;
}
