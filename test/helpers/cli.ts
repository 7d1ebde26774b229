import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Variables vitest/vite put into process.env that are not the user's (BASE_URL='/' would be read as ours). */
const VITE_VARIABLES = ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR'];

/** The environment for a `paperboy` child process: the user's, without vite's additions, arXiv off, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of VITE_VARIABLES) delete env[name];
  // tests never contact arXiv: no scheduled harvest, no lookups, unless a test points them at a local server
  return { ...env, LOG_LEVEL: 'warn', HARVEST_ENABLED: 'false', ARXIV_LOOKUPS_ENABLED: 'false', ...extra };
}
