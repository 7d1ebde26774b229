import { createHash } from 'node:crypto';
import { parseArxivId } from '../papers/arxiv-id.ts';
import { parseAuthors } from '../papers/authors.ts';
import { findPaperLinks } from '../papers/links.ts';
import { cleanText, optionalText, type PaperRecord, parseCategories, toIsoDate } from '../papers/paper.ts';
import { accept, isObject, LIMITS, type Parsed, reject } from './parsed.ts';

/**
 * One line of the Kaggle `arxiv-metadata-oai-snapshot` (the field set of arXiv's OAI `arXiv` format):
 * id, submitter, authors, title, comments, journal-ref, doi, report-no, categories, license, abstract,
 * versions [{version, created}], update_date, authors_parsed. Pure.
 *
 * @example parseKaggleRecord({ id: '0704.0001', title: 'T', abstract: 'A', authors: 'A. B', categories: 'hep-ph' })
 */
export function parseKaggleRecord(raw: unknown): Parsed<PaperRecord> {
  if (!isObject(raw)) return reject('not a JSON object');
  if (raw.id === undefined || raw.id === null || raw.id === '') return reject('missing id');
  const parsedId = parseArxivId(String(raw.id));
  if (!parsedId.ok) return reject(`invalid id: ${parsedId.reason}`);
  const title = cleanText(typeof raw.title === 'string' ? raw.title : '');
  if (title === '') return reject(`missing title (${parsedId.value.id})`);
  if (title.length > LIMITS.title)
    return reject(`title longer than ${LIMITS.title} characters (${parsedId.value.id})`);
  // `summary` and `comment` are the arXiv API's names for the same fields, used by listing crawlers
  const abstractText =
    typeof raw.abstract === 'string' ? raw.abstract : typeof raw.summary === 'string' ? raw.summary : '';
  const abstract = cleanText(abstractText);
  if (abstract.length > LIMITS.abstract) return reject(`abstract longer than ${LIMITS.abstract} characters`);
  const authors = parseAuthors(raw.authors)
    .slice(0, LIMITS.authors)
    .map((a) => a.slice(0, LIMITS.authorName));

  const versions = Array.isArray(raw.versions) ? raw.versions.filter(isObject) : [];
  const versionNumbers = versions
    .map((v) => Number(String(v.version ?? '').replace(/^v/, '')))
    .filter((n) => n > 0);
  const version = versionNumbers.length > 0 ? Math.max(...versionNumbers) : parsedId.value.version;
  const firstCreated = toIsoDate(versions[0]?.created);
  const lastCreated = toIsoDate(versions.at(-1)?.created);
  const listed = toIsoDate(raw.update_date);
  const comments = optionalText(raw.comments ?? raw.comment, LIMITS.comments);
  const links = findPaperLinks(abstract, comments);

  return accept({
    id: parsedId.value.id,
    version: version ?? null,
    title,
    authors,
    abstract,
    categories: parseCategories(raw.categories),
    publishedAt: firstCreated ?? listed,
    updatedAt: lastCreated ?? listed,
    comments,
    journalRef: optionalText(raw['journal-ref'], LIMITS.comments),
    doi: optionalText(raw.doi, 200),
    githubRepo: links.githubRepo,
    projectPage: links.projectPage,
  });
}

/** A digest of the arXiv metadata of a record: equal digests mean a re-import changes nothing. */
export function paperFingerprint(p: PaperRecord): string {
  const parts = [
    p.version,
    p.title,
    p.authors,
    p.abstract,
    p.categories,
    p.publishedAt,
    p.updatedAt,
    p.comments,
    p.journalRef,
    p.doi,
    p.githubRepo,
    p.projectPage,
  ];
  return createHash('sha1').update(JSON.stringify(parts)).digest('base64url');
}
