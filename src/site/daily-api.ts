import type { Hono } from 'hono';
import { z } from 'zod';
import { claimedAuthorsOf } from '../authors/claims.store.ts';
import { type FeatureSort, listFeatures } from '../features/features.store.ts';
import { parseDayPeriod, parseMonthPeriod, parseWeekPeriod } from '../features/periods.ts';
import { apiError, firstIssue } from '../web/api-error.ts';
import type { AppEnv } from '../web/env.ts';
import type { AppDeps } from './deps.ts';
import { dailyItem } from './hf-json.ts';

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, `${name} must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be a whole number from ${min} to ${max}`);

/** The query of `/api/daily_papers`, as hf-papers-api.md lists it. Unknown parameters are ignored. */
export const dailyPapersQuery = z
  .object({
    p: wholeNumber('p', 0, 100_000).optional().describe('page, from 0'),
    limit: wholeNumber('limit', 1, 100).optional().describe('1 to 100 (default 50)'),
    date: z
      .string()
      .refine((v) => parseDayPeriod(v) !== null, 'date must be a calendar day as YYYY-MM-DD')
      .optional()
      .describe('a day, YYYY-MM-DD'),
    week: z
      .string()
      .refine((v) => parseWeekPeriod(v) !== null, 'week must be an ISO week as YYYY-Www, e.g. 2025-W07')
      .optional()
      .describe('an ISO week, YYYY-Www'),
    month: z
      .string()
      .refine((v) => parseMonthPeriod(v) !== null, 'month must be YYYY-MM')
      .optional()
      .describe('a month, YYYY-MM'),
    submitter: z
      .string()
      .max(100, 'submitter is at most 100 characters')
      .regex(/^[A-Za-z0-9._-]+$/, 'submitter must be a username (letters, digits, . _ -)')
      .optional()
      .describe('only the features of this member'),
    sort: z
      .enum(['publishedAt', 'trending'], { message: 'sort must be publishedAt or trending' })
      .optional()
      .describe('newest features first, or by the trending score'),
  })
  .refine((q) => [q.date, q.week, q.month].filter(Boolean).length <= 1, {
    message: 'give only one of date, week and month',
  });

/** `GET /api/daily_papers`: a period's features by upvotes, or the newest features first. */
export function registerFeatureApi(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/api/daily_papers', async (c) => {
    const parsed = dailyPapersQuery.safeParse(c.req.query());
    if (!parsed.success) return apiError(c, 400, firstIssue(parsed.error));
    const q = parsed.data;
    const period = q.date
      ? parseDayPeriod(q.date)
      : q.week
        ? parseWeekPeriod(q.week)
        : q.month
          ? parseMonthPeriod(q.month)
          : null;
    const sort: FeatureSort = q.sort ?? (period ? 'upvotes' : 'publishedAt');
    const limit = Math.min(q.limit ?? 50, deps.config.API_MAX_LIMIT);
    const items = await listFeatures(deps.store.db, {
      start: period?.start ?? null,
      end: period?.end ?? null,
      submitter: q.submitter ?? null,
      sort,
      offset: (q.p ?? 0) * limit,
      limit,
    });
    const claimed = await claimedAuthorsOf(
      deps.store.db,
      items.map((i) => i.paper),
    );
    return c.json(items.map((item) => dailyItem(item, deps.site.baseUrl, claimed)));
  });
}
