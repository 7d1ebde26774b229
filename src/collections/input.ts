import { z } from 'zod';
import { splitPaperPath } from '../papers/paper-path.ts';
import { rowId } from '../web/params.ts';

/** Form input of collections, checked at the edge. Pure. */
export const collectionForm = z.object({
  name: z
    .string({ message: 'Give the collection a name.' })
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'Give the collection a name.').max(100, 'A name is at most 100 characters.')),
  description: z
    .string()
    .max(1000, 'A description is at most 1000 characters.')
    .default('')
    .transform((s) => s.trim()),
  visibility: z.enum(['public', 'private'], { message: 'Choose public or private.' }).default('private'),
});

/** A collection id from a URL: a positive integer, or null (answered 404). */
export function collectionId(text: string | undefined): number | null {
  return rowId(text);
}

/** A paper id from a form: canonical arXiv id, or null. */
export function formPaperId(text: string | undefined): string | null {
  if (!text || text.length > 60) return null;
  const parsed = splitPaperPath(text.trim());
  return parsed && parsed.suffix === '' ? parsed.id : null;
}

export const moveDirections = ['up', 'down', 'top', 'bottom'] as const;
