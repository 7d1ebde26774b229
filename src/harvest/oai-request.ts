/**
 * Pure helpers of the harvest: the OAI-PMH requests and the day arithmetic. Rules from
 * ../shared/data/arxiv_responses/README.md ("Protocol rules") and OAI-PMH 2.0:
 * - `from`/`until` are days (YYYY-MM-DD, arXiv's granularity), both inclusive (rule 6);
 * - a resumptionToken is sent as the only argument besides `verb` (rule 8, OAI-PMH §3.5);
 * - arXiv's earliest datestamp is 2005-09-16 (rule 6).
 */
export const EARLIEST_DATESTAMP = '2005-09-16';

/** Days per list when back-filling a range: small enough for a useful progress bar and resumption. */
export const BACKFILL_CHUNK_DAYS = 7;

const DAY_MS = 86_400_000;

export interface ListRequest {
  metadataPrefix: string;
  set: string;
  from: string;
  until?: string | null;
}

/**
 * @example listRecordsUrl('https://oaipmh.arxiv.org/oai', { metadataPrefix: 'arXivRaw', set: 'cs', from: '2025-03-17' })
 *          // 'https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXivRaw&set=cs&from=2025-03-17'
 */
export function listRecordsUrl(base: string, request: ListRequest): string {
  const params = new URLSearchParams({ verb: 'ListRecords', metadataPrefix: request.metadataPrefix });
  params.set('set', request.set);
  params.set('from', request.from);
  if (request.until) params.set('until', request.until);
  return withParams(base, params);
}

/** The token, percent-encoded as it is (new-server tokens are themselves URL-encoded text). */
export function resumeUrl(base: string, token: string): string {
  return withParams(base, new URLSearchParams({ verb: 'ListRecords', resumptionToken: token }));
}

function withParams(base: string, params: URLSearchParams): string {
  const url = new URL(base);
  url.search = params.toString();
  return url.toString();
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text);
}

/** The UTC day of an instant. @example dayOf(Date.parse('2025-03-19T04:30:00Z')) // '2025-03-19' */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** @example addDays('2025-02-27', 2) // '2025-03-01' */
export function addDays(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** Days from `from` to `until`, both counted. @example daysBetween('2025-03-01', '2025-03-07') // 7 */
export function daysBetween(from: string, until: string): number {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/**
 * When a token without an expiry date is taken as expired: arXiv's tokens expire at the next 00:00 UTC after
 * they were issued (rule 8).
 */
export function nextMidnightUtc(ms: number): string {
  return new Date(Date.parse(`${dayOf(ms)}T00:00:00Z`) + DAY_MS).toISOString();
}

/**
 * Whether a paper is kept under the category filter: no filter keeps everything; otherwise any of its
 * categories must be listed, or its archive (`cs` keeps `cs.CL`).
 * @example keepsCategories(['cs.CL', 'cs.AI'], ['cs']) // true
 */
export function keepsCategories(categories: readonly string[], filter: readonly string[]): boolean {
  if (filter.length === 0) return true;
  return categories.some((c) => filter.includes(c) || filter.includes(c.split('.')[0]!));
}

/** The scope of a back-fill's state row: one per range, deleted when the range is done. */
export function backfillScope(from: string, until: string): string {
  return `backfill:${from}..${until}`;
}
