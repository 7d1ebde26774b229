/**
 * English date names, written out by hand: Intl's toLocaleDateString builds a formatter on every call, and
 * on a daily list page that was a quarter of the server's time. Pure; UTC throughout.
 */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function parts(iso: string): Date | null {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "12 Feb 2025" */
export function shortDate(iso: string | null): string {
  const d = iso ? parts(iso) : null;
  if (!d) return '';
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)} ${d.getUTCFullYear()}`;
}

/** "12 Feb" */
export function dayMonth(iso: string): string {
  const d = parts(iso);
  return d ? `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)}` : '';
}

/** "Wednesday, 12 February 2025" */
export function longDate(iso: string): string {
  const d = parts(iso);
  if (!d) return '';
  return `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "February 2025" */
export function monthYear(iso: string): string {
  const d = parts(iso);
  return d ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}` : '';
}
