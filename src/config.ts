import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * One web process a core, up to 8: on 2 cores two processes answered 1.9× the searches of one (480 against 251
 * a second, docs/benchmarks.md), three no more than two. With one core, one process serves and runs the jobs.
 */
export const DEFAULT_WEB_PROCESSES = Math.min(8, availableParallelism());

/** "true"/"false" (also 1/0, yes/no, on/off): z.coerce.boolean would read "false" as true. */
const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v))
    .default(fallback);

/** A comma-separated list whose every item must match `item`. */
const list = (item: RegExp, what: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .refine((items) => items.every((i) => item.test(i)), { message: `each item must be ${what}` });

/**
 * arXiv harvesting and lookups (docs/configuration.md, "arXiv"). arXiv's rules are in
 * ../shared/data/arxiv_responses/README.md; the spacing can only be raised above their 3 s.
 */
const arxivSettings = {
  HARVEST_ENABLED: flag(true),
  HARVEST_SCHEDULE: list(/^([01]\d|2[0-3]):[0-5]\d$/, 'a UTC time like 04:30', '04:30'),
  HARVEST_SETS: list(
    /^[a-z-]+(:[A-Za-z-]+(:[A-Za-z-]+)?)?$/,
    'an arXiv OAI set like cs, physics:hep-th or cs:cs:AI',
    'cs,stat:stat:ML',
  ),
  HARVEST_CATEGORIES: list(/^[A-Za-z-]+(\.[A-Za-z-]+)?$/, 'a category like cs.CL or an archive like cs', ''),
  HARVEST_METADATA_PREFIX: z.enum(['arXivRaw', 'arXiv']).default('arXivRaw'),
  HARVEST_INITIAL_DAYS: z.coerce.number().int().min(1).max(3650).default(3),
  ARXIV_OAI_URL: z.url({ protocol: /^https?$/ }).default('https://oaipmh.arxiv.org/oai'),
  ARXIV_API_URL: z.url({ protocol: /^https?$/ }).default('https://export.arxiv.org/api/query'),
  ARXIV_ALLOWED_HOSTS: list(
    /^[a-z0-9.-]+(:\d{1,5})?$/i,
    'a host name, optionally with :port',
    'oaipmh.arxiv.org,export.arxiv.org',
  ),
  ARXIV_MIN_INTERVAL_SECONDS: z.coerce
    .number()
    .min(3, 'arXiv asks for at least 3 seconds between requests')
    .max(3600)
    .default(3),
  ARXIV_CONTACT_EMAIL: z.email().optional(),
  ARXIV_TIMEOUT_SECONDS: z.coerce.number().min(5).max(600).default(60),
  ARXIV_MAX_RESPONSE_MB: z.coerce.number().min(1).max(1024).default(64),
  ARXIV_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  ARXIV_LOOKUPS_ENABLED: flag(true),
  ADD_PAPER_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(20),
};

/**
 * Team chat (docs/configuration.md, "Team chat"): webhooks themselves are added on /admin/webhooks; these say how
 * hard a post is tried. The day's top papers go out when the daily digest would (DIGEST_DAILY_HOUR, DIGEST_TIMEZONE).
 */
const webhookSettings = {
  WEBHOOKS_ENABLED: flag(true),
  WEBHOOK_TOP_PAPERS: z.coerce.number().int().min(1).max(10).default(5),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(10),
  WEBHOOK_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
};

/**
 * Keyphrases, summaries and "for you" recommendations (docs/configuration.md, "Beyond Hugging Face").
 * Summaries are written only when SUMMARY_API_URL names an OpenAI-compatible endpoint; nothing else leaves the
 * machine.
 */
const beyondSettings = {
  KEYWORDS_ENABLED: flag(true),
  SUMMARY_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  SUMMARY_MODEL: z.string().trim().min(1).max(200).optional(),
  SUMMARY_API_KEY: z.string().optional(),
  SUMMARY_MAX_PER_RUN: z.coerce.number().int().min(1).max(10_000).default(20),
  SUMMARY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  FOR_YOU_ENABLED: flag(true),
  FOR_YOU_SCHEDULE: list(/^([01]\d|2[0-3]):[0-5]\d$/, 'a UTC time like 05:30', '05:30'),
  FOR_YOU_CANDIDATES: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  FOR_YOU_NEGATIVES: z.coerce.number().int().min(50).max(100_000).default(1_000),
  FOR_YOU_RESULTS: z.coerce.number().int().min(1).max(500).default(50),
};

/**
 * Who may join and who may read (docs/configuration.md, "Who may join and who may read"): sign-up policy, private
 * mode, and single sign-on through an OpenID Connect provider.
 */
const accessSettings = {
  SIGNUP: z.enum(['open', 'invitation']).default('open'),
  SIGNUP_EMAIL_DOMAINS: list(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i,
    'a domain like lab.org',
    '',
  ),
  INVITATION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  PRIVATE: flag(false),
  PASSWORD_LOGIN: flag(true),
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  OIDC_SCOPES: z
    .string()
    .trim()
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'space-separated scope names')
    .refine((s) => s.split(' ').includes('openid'), 'must include openid')
    .default('openid email profile'),
  OIDC_USERNAME_CLAIM: z.string().trim().min(1).max(100).default('preferred_username'),
  OIDC_EMAIL_CLAIM: z.string().trim().min(1).max(100).default('email'),
  OIDC_ROLES_CLAIM: z.string().trim().min(1).max(100).optional(),
  OIDC_ADMIN_VALUES: list(/^[^,]{1,200}$/, 'a group or role name', ''),
  OIDC_MODERATOR_VALUES: list(/^[^,]{1,200}$/, 'a group or role name', ''),
  OIDC_PROVIDER_NAME: z.string().trim().min(1).max(60).default('single sign-on'),
};

/**
 * Follow and be told (docs/notifications.md): the notify job, and when the day's batched notification mail goes
 * to the members who asked for it (a UTC time; each member switches it on on /notifications).
 */
const followSettings = {
  NOTIFICATIONS_ENABLED: flag(true),
  NOTIFICATIONS_MAIL_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a UTC time like 08:00')
    .default('08:00'),
};

/**
 * Every setting of Paperboy, read once from the environment. Each variable is documented in
 * docs/configuration.md; zero variables give a working instance on a SQLite file under ./data.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z.string().min(1).default('sqlite:./data/paperboy.db'),
  DATA_DIR: z.string().min(1).default('./data'),
  INSTANCE_NAME: z.string().trim().min(1).max(80).default('Paperboy'),
  INSTANCE_DESCRIPTION: z
    .string()
    .max(500)
    .default('The new research papers that matter to us, chosen and ranked by our members.'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  API_MAX_LIMIT: z.coerce.number().int().min(1).max(1000).default(100),
  MAIL_FROM: z.string().min(3).max(200).default('Paperboy <paperboy@localhost>'),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_TLS: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(20).default(3),
  DIGESTS_ENABLED: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  DIGEST_DAILY_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  DIGEST_WEEKLY_DAY: z
    .enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'])
    .default('monday'),
  DIGEST_TIMEZONE: z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not a time zone (use an IANA name such as Europe/Paris)'),
  DIGEST_RATE_PER_SECOND: z.coerce.number().min(0.1).max(10_000).default(20),
  ...webhookSettings,
  PASSWORD_SCRYPT_LOG_N: z.coerce.number().int().min(14).max(20).default(17),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  FEATURE_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  SUBMIT_DAILY_LIMIT: z.coerce.number().int().min(1).max(1000).default(10),
  VOTES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  COMMENTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(6),
  COMMENT_EDIT_MINUTES: z.coerce.number().int().min(0).max(10_080).default(30),
  PAGE_CACHE_MB: z.coerce.number().min(0).max(4096).default(64),
  MAX_BODY_KB: z.coerce.number().int().min(16).max(65_536).default(1024),
  WEB_PROCESSES: z.coerce.number().int().min(1).max(64).default(DEFAULT_WEB_PROCESSES),
  ...arxivSettings,
  EMBEDDINGS_PROVIDER: z.enum(['none', 'transformers', 'openai']).default('none'),
  EMBEDDINGS_MODEL: z.string().trim().min(1).max(500).optional(),
  EMBEDDINGS_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:11434/v1'),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_QUERY_PREFIX: z.string().max(100).default(''),
  EMBEDDINGS_DOCUMENT_PREFIX: z.string().max(100).default(''),
  EMBEDDINGS_ALLOW_DOWNLOAD: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  EMBEDDINGS_BATCH_SIZE: z.coerce.number().int().min(1).max(1024).default(32),
  EMBEDDINGS_WEIGHT: z.coerce.number().min(0).max(10).default(1),
  ...beyondSettings,
  ...accessSettings,
  ...followSettings,
});

export type Config = Readonly<
  Omit<z.infer<typeof schema>, 'BASE_URL'> & {
    BASE_URL: string;
  }
>;

export class ConfigError extends Error {}

/**
 * Reads and checks the environment. Throws ConfigError naming every bad variable.
 * @example loadConfig({ PORT: '9000' }).PORT // 9000
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee docs/configuration.md.`);
  }
  const value = parsed.data;
  for (const name of ['ARXIV_OAI_URL', 'ARXIV_API_URL'] as const) {
    const host = new URL(value[name]).host.toLowerCase();
    if (!value.ARXIV_ALLOWED_HOSTS.some((h) => h.toLowerCase() === host)) {
      throw new ConfigError(
        `Invalid configuration:\n  ${name}: its host ${host} is not in ARXIV_ALLOWED_HOSTS\nSee docs/configuration.md.`,
      );
    }
  }
  if (value.SUMMARY_API_URL && !value.SUMMARY_MODEL) {
    throw new ConfigError(
      'Invalid configuration:\n  SUMMARY_MODEL: required with SUMMARY_API_URL (the model that writes summaries)\nSee docs/configuration.md.',
    );
  }
  checkAccess(value);
  const baseUrl = (value.BASE_URL ?? `http://localhost:${value.PORT}`).replace(/\/+$/, '');
  return Object.freeze({ ...value, BASE_URL: baseUrl });
}

/** Whether a URL's host is this machine, where plain http is allowed for an OpenID provider (tests). */
export function isLoopbackUrl(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** The access settings that only make sense together. */
function checkAccess(value: z.infer<typeof schema>): void {
  const problems: string[] = [];
  if (value.OIDC_ISSUER) {
    if (!value.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: required with OIDC_ISSUER');
    const issuer = new URL(value.OIDC_ISSUER);
    if (issuer.protocol === 'http:' && !isLoopbackUrl(issuer))
      problems.push('OIDC_ISSUER: must be https:// (plain http is allowed only on this machine, for tests)');
  } else if (value.OIDC_CLIENT_ID) problems.push('OIDC_ISSUER: required with OIDC_CLIENT_ID');
  if (!value.PASSWORD_LOGIN && !value.OIDC_ISSUER)
    problems.push('PASSWORD_LOGIN: cannot be false without OIDC_ISSUER (nobody could sign in)');
  if (
    (value.OIDC_ADMIN_VALUES.length > 0 || value.OIDC_MODERATOR_VALUES.length > 0) &&
    !value.OIDC_ROLES_CLAIM
  )
    problems.push('OIDC_ROLES_CLAIM: required with OIDC_ADMIN_VALUES or OIDC_MODERATOR_VALUES');
  if (problems.length > 0)
    throw new ConfigError(
      `Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}\nSee docs/configuration.md.`,
    );
}
