import { isObject } from './parsed.ts';

export const IMPORT_FORMATS = ['kaggle', 'hf-daily'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * Tells a file's format from its first record: arXiv metadata has an id and an `abstract` (Kaggle's field set) or a
 * `summary` with `categories` (arXiv listing crawlers, the API's names);
 * HF daily papers items have a `paper` object (raw API) or `upvotes` with a day (slim lines). Pure.
 * @example detectFormat({ paper: { id: '2502.08025' } }) // 'hf-daily'
 */
export function detectFormat(first: unknown): ImportFormat | null {
  if (!isObject(first)) return null;
  if (isObject(first.paper)) return 'hf-daily';
  if ('upvotes' in first && ('date' in first || 'submittedOnDailyAt' in first)) return 'hf-daily';
  if ('id' in first && ('abstract' in first || ('summary' in first && 'categories' in first)))
    return 'kaggle';
  return null;
}

/** The day a file name carries (`2025-06-04.json`), used for HF items that do not say their day. */
export function dayFromFileName(path: string): string | null {
  const m = /(\d{4}-\d{2}-\d{2})[^/\\]*$/.exec(path);
  return m ? m[1]! : null;
}
