import { z } from 'zod';

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
  const baseUrl = (value.BASE_URL ?? `http://localhost:${value.PORT}`).replace(/\/+$/, '');
  return Object.freeze({ ...value, BASE_URL: baseUrl });
}
