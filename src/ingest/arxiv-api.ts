import { parseArxivId } from '../papers/arxiv-id.ts';
import { type PaperRecord, toIsoDate } from '../papers/paper.ts';
import { parseKaggleRecord } from './kaggle.ts';
import { parseXmlSafely, xmlAttr, xmlChild, xmlList, xmlText } from './xml.ts';

/**
 * Pure parsing of the arXiv API's Atom feeds (`/api/query`), legacy (namespaces declared on each element)
 * and current (declared once on `<feed>`). Rules from arXiv's API user manual, as listed in
 * ../shared/data/arxiv_responses/README.md:
 * - an error is a feed with one entry whose id is `…/api/errors#…` and whose title is "Error"; it is detected by
 *   that content, never by the HTTP status alone (README rule 3, user manual §3.4);
 * - an entry's id is its abs URL with the version (`http://arxiv.org/abs/1111.2011v2`);
 * - `arxiv:primary_category` comes first among the categories.
 */
export type ApiEntry = { ok: true; paper: PaperRecord } | { ok: false; id: string | null; reason: string };

export type ApiFeed =
  | { kind: 'feed'; totalResults: number | null; startIndex: number | null; entries: ApiEntry[] }
  | { kind: 'error'; message: string; errorId: string };

export class ApiFormatError extends Error {}

const ERROR_ID = /\/api\/errors(#|$)/;

/**
 * An Atom answer of the arXiv API → its papers, or the error it reports. Throws ApiFormatError for a document
 * that is not a well-formed Atom feed (or has a DOCTYPE).
 *
 * @example parseArxivFeed(xml).kind // 'feed'
 */
export function parseArxivFeed(xml: string | Uint8Array, maxBytes?: number): ApiFeed {
  let doc: ReturnType<typeof parseXmlSafely>;
  try {
    doc = parseXmlSafely(xml, maxBytes);
  } catch (err) {
    throw new ApiFormatError((err as Error).message);
  }
  const feed = doc.feed;
  if (feed === undefined || Array.isArray(feed)) throw new ApiFormatError('not an Atom feed');
  const entries = xmlList(feed, 'entry');
  for (const entry of entries) {
    const id = xmlText(xmlChild(entry, 'id')).trim();
    if (ERROR_ID.test(id)) {
      const message = xmlText(xmlChild(entry, 'summary')).trim() || 'the arXiv API reported an error';
      return { kind: 'error', message: message.slice(0, 500), errorId: id.slice(0, 300) };
    }
  }
  const number = (name: string) => {
    const text = xmlText(xmlChild(feed, name)).trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  };
  return {
    kind: 'feed',
    totalResults: number('totalResults'),
    startIndex: number('startIndex'),
    entries: entries.map(parseEntry),
  };
}

function parseEntry(entry: unknown): ApiEntry {
  const absUrl = xmlText(xmlChild(entry, 'id')).trim();
  const parsedId = parseArxivId(absUrl);
  if (!parsedId.ok)
    return { ok: false, id: null, reason: `entry id "${absUrl.slice(0, 80)}": ${parsedId.reason}` };
  const primary = xmlAttr(xmlChild(entry, 'primary_category'), 'term');
  const categories = xmlList(entry, 'category')
    .map((c) => xmlAttr(c, 'term'))
    .filter((c): c is string => c !== null);
  const text = (name: string) => {
    const value = xmlChild(entry, name);
    return value === undefined ? null : xmlText(value);
  };
  // The record parser of the import checks and normalises it, so papers from every source look alike.
  const parsed = parseKaggleRecord({
    id: absUrl.replace(/^.*\/abs\//, ''),
    title: text('title'),
    abstract: text('summary'),
    authors: xmlList(entry, 'author').map((a) => xmlText(xmlChild(a, 'name'))),
    categories: [primary, ...categories].filter(Boolean).join(' '),
    comments: text('comment'),
    'journal-ref': text('journal_ref'),
    doi: text('doi'),
    versions: [],
  });
  if (!parsed.ok) return { ok: false, id: parsedId.value.id, reason: parsed.reason };
  const publishedAt = toIsoDate(text('published'));
  return {
    ok: true,
    paper: {
      ...parsed.value,
      version: parsedId.value.version,
      publishedAt,
      updatedAt: toIsoDate(text('updated')) ?? publishedAt,
    },
  };
}
