/**
 * `@name` mentions in a comment's markdown. Pure. A mention is an @ not preceded by a letter, digit, `@`, `.` or
 * `/` (so mail addresses and URLs are none), followed by a username as sign-up allows them (3 to 30 letters,
 * digits, `-` or `_`, starting with a letter or digit); code spans and fenced blocks are skipped, as they quote.
 * @example mentionedNames('Thanks @alice and @Bob_2! mail me at x@example.org') // ['alice', 'bob_2']
 */
const MENTION = /(?<![\p{L}\p{N}@./_-])@([A-Za-z0-9][A-Za-z0-9_-]{2,29})(?![A-Za-z0-9_-])/gu;
/** at most this many members are told by one comment */
export const MAX_MENTIONS = 20;

export function mentionedNames(body: string): string[] {
  const prose = body.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const names = new Set<string>();
  for (const m of prose.matchAll(MENTION)) {
    names.add(m[1]!.toLowerCase());
    if (names.size >= MAX_MENTIONS) break;
  }
  return [...names];
}
