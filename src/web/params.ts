/** The largest id a row can have: ids are INTEGER columns, 32-bit on PostgreSQL. */
const MAX_ROW_ID = 2_147_483_647;

/**
 * A row id from a path or form (a comment, token, claim or collection): digits only, 1 to 2^31 − 1, else null.
 * Anything larger is no row, and PostgreSQL would refuse to compare it with an INTEGER column.
 */
export function rowId(text: unknown): number | null {
  if (typeof text !== 'string' || !/^[0-9]{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_ROW_ID ? n : null;
}
