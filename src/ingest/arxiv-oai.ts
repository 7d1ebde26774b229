import { parseArxivId } from '../papers/arxiv-id.ts';
import { type PaperRecord, toIsoDate } from '../papers/paper.ts';
import { parseKaggleRecord } from './kaggle.ts';
import { parseXmlSafely, xmlAttr, xmlChild, xmlList, xmlText } from './xml.ts';

/**
 * Pure parsing of arXiv's OAI-PMH answers (`ListRecords`), old server (export.arxiv.org/oai2) and new
 * (oaipmh.arxiv.org/oai, March 2025 on). Rules from the OAI-PMH 2.0 spec and
 * ../shared/data/arxiv_responses/README.md ("Protocol rules"):
 * - a page is records plus a resumptionToken; an empty token, or none at all, ends the list (spec §3.5,
 *   README rule 8); the new server's token has an expiry date and no cursor/completeListSize;
 * - deleted records are `<header status="deleted">` with no metadata (README rule 9);
 * - errors are `<error code="…">` with HTTP 200 on the new server; `noRecordsMatch` is an empty result
 *   (README rule 10), the caller decides.
 */
export type OaiFormat = 'arXivRaw' | 'arXiv' | 'oai_dc';

export interface OaiHeader {
  /** `oai:arXiv.org:0704.0471` */
  identifier: string;
  /** the canonical arXiv id from the identifier, or null when it holds none */
  id: string | null;
  /** YYYY-MM-DD: the record's last modification (README rule 6), not its submission */
  datestamp: string | null;
  sets: string[];
  deleted: boolean;
}

export type OaiRecord =
  | { status: 'ok'; header: OaiHeader; paper: PaperRecord }
  | { status: 'deleted'; header: OaiHeader }
  | { status: 'rejected'; header: OaiHeader; reason: string };

export interface ResumptionToken {
  value: string;
  /** ISO instant when the new server says it expires; null when not given (old server) */
  expiresAt: string | null;
  cursor: number | null;
  completeListSize: number | null;
}

export interface OaiError {
  code: string;
  message: string;
}

export type OaiPage =
  | { kind: 'records'; responseDate: string; records: OaiRecord[]; token: ResumptionToken | null }
  | { kind: 'error'; responseDate: string | null; errors: OaiError[] };

export class OaiFormatError extends Error {}

const IDENTIFIER_PREFIX = /^oai:arxiv\.org:/i;

/**
 * One ListRecords answer → its records, its token (null at the end of the list) or its errors.
 * Throws OaiFormatError (malformed, truncated, DOCTYPE, not OAI-PMH). A record that cannot be read becomes
 * `rejected` with a reason; the rest of the page is kept.
 *
 * @example parseOaiPage(xml).kind // 'records'
 */
export function parseOaiPage(xml: string | Uint8Array, maxBytes?: number): OaiPage {
  let doc: ReturnType<typeof parseXmlSafely>;
  try {
    doc = parseXmlSafely(xml, maxBytes);
  } catch (err) {
    throw new OaiFormatError((err as Error).message);
  }
  const root = doc['OAI-PMH'];
  if (root === undefined || Array.isArray(root)) throw new OaiFormatError('not an OAI-PMH response');
  const responseDate = toIsoDate(xmlText(xmlChild(root, 'responseDate')));
  const errors = xmlList(root, 'error').map((e) => ({
    code: xmlAttr(e, 'code') ?? 'unknown',
    message: xmlText(e).trim().slice(0, 500),
  }));
  if (errors.length > 0) return { kind: 'error', responseDate, errors };
  if (!responseDate) throw new OaiFormatError('OAI-PMH response without a valid responseDate');
  const list = xmlChild(root, 'ListRecords');
  if (list === undefined) throw new OaiFormatError('OAI-PMH response has neither ListRecords nor an error');
  const records = xmlList(list, 'record').map(parseRecord);
  return { kind: 'records', responseDate, records, token: parseToken(xmlChild(list, 'resumptionToken')) };
}

/** An empty or absent token ends the list (OAI-PMH §3.5). */
function parseToken(node: unknown): ResumptionToken | null {
  if (node === undefined) return null;
  const value = xmlText(node).trim();
  if (value === '') return null;
  const number = (name: string) => {
    const text = xmlAttr(node, name);
    return text !== null && /^\d+$/.test(text) ? Number(text) : null;
  };
  return {
    value,
    // OAI-PMH §3.5 names it expirationDate; arXiv/oaipmh's token template once wrote `expires`
    expiresAt: toIsoDate(xmlAttr(node, 'expirationDate') ?? xmlAttr(node, 'expires') ?? undefined),
    cursor: number('cursor'),
    completeListSize: number('completeListSize'),
  };
}

function parseRecord(node: unknown): OaiRecord {
  const headerNode = xmlChild(node, 'header');
  const identifier = xmlText(xmlChild(headerNode, 'identifier')).trim().slice(0, 200);
  const parsedId = parseArxivId(identifier.replace(IDENTIFIER_PREFIX, ''));
  const datestamp = xmlText(xmlChild(headerNode, 'datestamp')).trim();
  const header: OaiHeader = {
    identifier,
    id: parsedId.ok ? parsedId.value.id : null,
    datestamp: /^\d{4}-\d{2}-\d{2}$/.test(datestamp) ? datestamp : null,
    sets: xmlList(headerNode, 'setSpec').map((s) => xmlText(s).trim()),
    deleted: xmlAttr(headerNode, 'status') === 'deleted',
  };
  if (header.deleted) {
    return header.id ? { status: 'deleted', header } : rejected(header, 'deleted record without an arXiv id');
  }
  if (!header.id) return rejected(header, `no arXiv id in identifier "${identifier.slice(0, 80)}"`);
  const metadata = xmlChild(node, 'metadata');
  const raw = xmlChild(metadata, 'arXivRaw');
  if (raw !== undefined) return fromKaggleShape(header, arxivRawFields(raw, header));
  const arxiv = xmlChild(metadata, 'arXiv');
  if (arxiv !== undefined) return fromKaggleShape(header, arxivFields(arxiv, header));
  const dc = xmlChild(metadata, 'dc');
  if (dc !== undefined) return fromKaggleShape(header, dublinCoreFields(dc, header));
  return rejected(header, 'record without arXivRaw, arXiv or oai_dc metadata');
}

interface KaggleShape {
  raw: Record<string, unknown>;
  /** dates the Kaggle shape cannot say (arXiv and oai_dc formats carry no version list) */
  publishedAt?: string | null;
  updatedAt?: string | null;
}

/**
 * Every format is mapped to the Kaggle snapshot's field names (which are arXiv's own) and checked by the one
 * record parser the import uses, so harvested and imported papers get the same limits and the same fingerprint.
 */
function fromKaggleShape(header: OaiHeader, shape: KaggleShape): OaiRecord {
  const parsed = parseKaggleRecord(shape.raw);
  if (!parsed.ok) return rejected(header, parsed.reason);
  if (parsed.value.id !== header.id) {
    return rejected(header, `metadata id ${parsed.value.id} differs from header id ${header.id}`);
  }
  const paper = { ...parsed.value };
  if (shape.publishedAt !== undefined) paper.publishedAt = shape.publishedAt ?? paper.publishedAt;
  if (shape.updatedAt !== undefined) paper.updatedAt = shape.updatedAt ?? paper.publishedAt;
  return { status: 'ok', header, paper };
}

/** arXivRaw: every version with its date (README rule 9: "use arXivRaw for version history"). */
function arxivRawFields(node: unknown, header: OaiHeader): KaggleShape {
  return {
    raw: {
      ...commonFields(node),
      authors: xmlText(xmlChild(node, 'authors')),
      versions: xmlList(node, 'version').map((v) => ({
        version: xmlAttr(v, 'version') ?? '',
        created: xmlText(xmlChild(v, 'date')).trim(),
      })),
      update_date: header.datestamp,
    },
  };
}

/** arXiv format: structured authors, `created`/`updated` days, no version numbers. */
function arxivFields(node: unknown, header: OaiHeader): KaggleShape {
  const authors = xmlList(xmlChild(node, 'authors'), 'author').map((a) =>
    [xmlText(xmlChild(a, 'forenames')), xmlText(xmlChild(a, 'keyname')), xmlText(xmlChild(a, 'suffix'))]
      .map((part) => part.trim())
      .filter(Boolean)
      .join(' '),
  );
  const created = toIsoDate(xmlText(xmlChild(node, 'created')));
  return {
    raw: { ...commonFields(node), authors, versions: [], update_date: header.datestamp },
    publishedAt: created,
    updatedAt: toIsoDate(xmlText(xmlChild(node, 'updated'))) ?? created,
  };
}

/**
 * oai_dc: "Last, First" creators, the abstract and a "Comment: …" in descriptions, the first and last dates.
 * Dublin Core subjects are names ("Computer Science - Information Theory"), not category codes: no categories.
 */
function dublinCoreFields(node: unknown, header: OaiHeader): KaggleShape {
  const descriptions = xmlList(node, 'description').map((d) => xmlText(d));
  const comment = descriptions.find((d) => /^\s*Comment:/.test(d));
  const dates = xmlList(node, 'date')
    .map((d) => toIsoDate(xmlText(d)))
    .filter((d): d is string => d !== null);
  return {
    raw: {
      id: header.id,
      title: xmlText(xmlChild(node, 'title')),
      abstract: descriptions.find((d) => d !== comment) ?? '',
      comments: comment?.replace(/^\s*Comment:\s*/, '') ?? null,
      authors: xmlList(node, 'creator').map((c) => {
        const [last, first] = xmlText(c).split(/,\s*/, 2);
        return first ? `${first} ${last}` : (last ?? '');
      }),
      versions: [],
      update_date: header.datestamp,
    },
    publishedAt: dates[0] ?? null,
    updatedAt: dates.at(-1) ?? null,
  };
}

function commonFields(node: unknown): Record<string, unknown> {
  const field = (name: string) => {
    const value = xmlChild(node, name);
    return value === undefined ? null : xmlText(value);
  };
  return {
    id: field('id'),
    title: field('title'),
    abstract: field('abstract'),
    categories: field('categories'),
    comments: field('comments'),
    'journal-ref': field('journal-ref'),
    doi: field('doi'),
  };
}

function rejected(header: OaiHeader, reason: string): OaiRecord {
  return { status: 'rejected', header, reason };
}

/** True for the one OAI error that only means "nothing to harvest" (README rule 10). */
export function isNoRecordsMatch(page: OaiPage): boolean {
  return page.kind === 'error' && page.errors.every((e) => e.code === 'noRecordsMatch');
}
