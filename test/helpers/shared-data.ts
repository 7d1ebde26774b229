import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared data folder beside the checkout (never copied into the repository). */
export const SHARED_DATA = resolve(
  process.env.PAPERBOY_SHARED_DATA ?? join(import.meta.dirname, '../../../shared/data'),
);

/**
 * The path of a shared data file, or a loud notice and null when it is missing.
 * CI has the folder; a test that needs it must not pass silently without it.
 */
export function sharedDataFile(relative: string): string | null {
  const path = join(SHARED_DATA, relative);
  if (existsSync(path)) return path;
  if (process.env.PAPERBOY_STRICT === '1')
    throw new Error(`shared data file missing: ${path} (PAPERBOY_STRICT=1 forbids skipping)`);
  console.warn(
    `\n!!! SKIPPED: shared data file missing: ${path}\n!!! Put ../shared/data beside the checkout to run this test.\n`,
  );
  return null;
}
