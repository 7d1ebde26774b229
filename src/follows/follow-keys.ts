import { authorKey, foldName } from '../authors/names.ts';
import type { FollowKind } from '../db/schema.ts';
import { topicOf } from '../keywords/topic.ts';
import { isSearchable, MAX_QUERY_LENGTH, parseQuery } from '../search/query-parse.ts';

export type { FollowKind };
export const FOLLOW_KINDS: readonly FollowKind[] = ['author', 'category', 'topic', 'search'];

/** A follow as it is stored: the value shown, and the key the notify job matches on. */
export interface FollowTarget {
  kind: FollowKind;
  value: string;
  key: string;
}

const CATEGORY = /^[A-Za-z-]{1,20}(\.[A-Za-z-]{1,20})?$/;

/**
 * What a member asked to follow, checked and normalised, or the reason it is refused (shown as it is). Pure.
 * Keys: authors by `authorKey` (the key of author pages: "Doe, Jane" and "jane doe" are one); categories as
 * arXiv writes them (cs.CL); topics as keyphrases are stored (lower case); searches with case and spacing folded.
 * @example followTarget('author', ' Doe,  Jane ') // { kind: 'author', value: 'Doe, Jane', key: 'jane doe' }
 * @example followTarget('category', 'cs.CL; DROP') // { error: 'A category looks like cs.CL or hep-th.' }
 */
export function followTarget(kind: string, raw: string): FollowTarget | { error: string } {
  const value = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  switch (kind) {
    case 'author': {
      if (value.length > 100) return { error: 'An author name is at most 100 characters.' };
      const key = authorKey(value);
      if (foldName(value).length < 2 || key.length < 2)
        return { error: 'Give the author name as papers list it.' };
      return { kind, value, key };
    }
    case 'category':
      if (!CATEGORY.test(value)) return { error: 'A category looks like cs.CL or hep-th.' };
      return { kind, value, key: value };
    case 'topic': {
      const topic = topicOf(value);
      if (!topic) return { error: 'A topic is a keyphrase of 2 to 100 characters.' };
      return { kind, value: topic, key: topic };
    }
    case 'search': {
      if (value.length > MAX_QUERY_LENGTH)
        return { error: `A saved search is at most ${MAX_QUERY_LENGTH} characters.` };
      if (!isSearchable(parseQuery(value))) return { error: 'Give some words to search for.' };
      return { kind, value, key: value.toLowerCase() };
    }
    default:
      return { error: 'One follows an author, a category, a topic or a search.' };
  }
}

/** How a follow reads in a sentence: "the author Jane Doe", "papers in cs.CL". */
export function describeFollow(kind: FollowKind, value: string): string {
  if (kind === 'author') return value;
  if (kind === 'category') return `papers in ${value}`;
  if (kind === 'topic') return `the topic “${value}”`;
  return `the search “${value}”`;
}
