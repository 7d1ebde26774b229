import { z } from 'zod';
import { parseCategories } from '../papers/paper.ts';
import type { Preferences } from './subscriptions.store.ts';

const MAX_TOPICS = 20;

/**
 * Digest preferences from a form: frequency, categories (checkboxes and/or typed, space or comma separated),
 * keywords (comma separated), how many papers. Pure.
 */
export const preferencesSchema = z.object({
  frequency: z.enum(['daily', 'weekly'], { message: 'Choose daily or weekly.' }),
  categories: z
    .string()
    .max(1000, 'Too many categories.')
    .transform((text) => parseCategories(text.split(/[\s,]+/)))
    .refine((list) => list.length <= MAX_TOPICS, `At most ${MAX_TOPICS} categories.`),
  keywords: z
    .string()
    .max(1000, 'Too many keywords.')
    .transform((text) =>
      [
        ...new Set(
          text
            .split(',')
            .map((k) => k.replace(/[\r\n\t]+/g, ' ').trim())
            .filter(Boolean),
        ),
      ].map((k) => k.slice(0, 60)),
    )
    .refine((list) => list.length <= MAX_TOPICS, `At most ${MAX_TOPICS} keywords.`),
  count: z.coerce
    .number({ message: 'Choose how many papers.' })
    .int('Choose how many papers.')
    .min(1)
    .max(50),
});

/** Reads a form (where checkboxes may repeat `categories`) into preferences or an error message. */
export function preferencesFromForm(
  form: Record<string, string | string[]>,
): { ok: true; value: Preferences } | { ok: false; error: string } {
  const joined = (v: string | string[] | undefined) =>
    (Array.isArray(v) ? v.join(' ') : (v ?? '')).replaceAll('\0', '');
  const parsed = preferencesSchema.safeParse({
    frequency: joined(form.frequency),
    categories: `${joined(form.categories)} ${joined(form.more_categories)}`,
    keywords: joined(form.keywords),
    count: joined(form.count) || '10',
  });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  return { ok: true, value: parsed.data };
}
