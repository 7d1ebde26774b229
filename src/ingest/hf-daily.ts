import { parseArxivId } from '../papers/arxiv-id.ts';
import { parseAuthors } from '../papers/authors.ts';
import { githubRepoOf } from '../papers/links.ts';
import { cleanText, type PaperRecord, toIsoDate } from '../papers/paper.ts';
import { accept, httpUrl, isObject, LIMITS, type Parsed, reject } from './parsed.ts';

/** A Hugging Face Daily Papers record: the paper, the day it was featured, and what HF had counted. */
export interface HfDailyRecord {
  paper: PaperRecord;
  feature: { day: string; submittedAt: string; submitter: string | null };
  upvotes: number;
  githubStars: number | null;
  aiSummary: string | null;
  aiSummaryModel: string | null;
  aiKeywords: string[];
  /** the organization HF says the paper was submitted for (its full name), or null */
  organization?: string | null;
}

const MAX_UPVOTES = 10_000_000;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/**
 * Reads either shape of HF daily papers data: a raw `/api/daily_papers` item (`{paper: {...}, title, ...}`)
 * or the slim normalised lines (`{date, id, title, summary, authors: [names], upvotes, submittedBy, ...}`).
 * `fileDay` is the day named by the file (`2025-06-04.json`), used when an item does not carry its day. Pure.
 */
export function parseHfDailyRecord(raw: unknown, fileDay: string | null = null): Parsed<HfDailyRecord> {
  if (!isObject(raw)) return reject('not a JSON object');
  const inner = isObject(raw.paper) ? raw.paper : null;
  const src = inner ?? raw;
  const idValue = src.id ?? raw.id;
  if (idValue === undefined || idValue === null || idValue === '') return reject('missing id');
  const parsedId = parseArxivId(String(idValue));
  if (!parsedId.ok) return reject(`invalid id: ${parsedId.reason}`);
  const id = parsedId.value.id;

  const title = cleanText(pickString(raw.title, src.title));
  if (title === '') return reject(`missing title (${id})`);
  if (title.length > LIMITS.title) return reject(`title longer than ${LIMITS.title} characters (${id})`);
  const abstract = cleanText(pickString(src.summary, raw.summary));
  if (abstract.length > LIMITS.abstract)
    return reject(`abstract longer than ${LIMITS.abstract} characters (${id})`);

  if (raw.date !== undefined && raw.date !== null && !validDay(raw.date)) {
    return reject(`date must be a calendar day as YYYY-MM-DD (${id})`);
  }
  const submittedAt = toIsoDate(src.submittedOnDailyAt) ?? toIsoDate(raw.submittedOnDailyAt);
  const day =
    validDay(raw.date) ?? submittedAt?.slice(0, 10) ?? fileDay ?? toIsoDate(raw.publishedAt)?.slice(0, 10);
  if (!day) return reject(`no day: neither date nor submittedOnDailyAt (${id})`);

  const upvotesValue = src.upvotes ?? raw.upvotes ?? 0;
  const upvotes = Number(upvotesValue);
  if (!Number.isInteger(upvotes) || upvotes < 0 || upvotes > MAX_UPVOTES) {
    return reject(`upvotes must be a whole number from 0 to ${MAX_UPVOTES} (${id})`);
  }

  const stars = Number(src.githubStars ?? raw.githubStars);
  const repoUrl = httpUrl(src.githubRepo ?? raw.githubRepo);
  return accept({
    paper: {
      id,
      version: parsedId.value.version,
      title,
      authors: authorNames(src.authors ?? raw.authors),
      abstract,
      categories: [],
      publishedAt: toIsoDate(src.publishedAt),
      updatedAt: null,
      comments: null,
      journalRef: null,
      doi: null,
      githubRepo: repoUrl ? (githubRepoOf(repoUrl) ?? repoUrl) : null,
      projectPage: httpUrl(src.projectPage ?? raw.projectPage),
    },
    feature: { day, submittedAt: submittedAt ?? `${day}T00:00:00.000Z`, submitter: username(src, raw) },
    upvotes,
    githubStars: Number.isInteger(stars) && stars >= 0 ? stars : null,
    aiSummary:
      typeof src.ai_summary === 'string' && src.ai_summary.trim()
        ? cleanText(src.ai_summary).slice(0, 2000)
        : null,
    aiSummaryModel: typeof src.ai_summary_model === 'string' ? src.ai_summary_model.slice(0, 200) : null,
    aiKeywords: Array.isArray(src.ai_keywords)
      ? src.ai_keywords
          .filter((k): k is string => typeof k === 'string')
          .map((k) => k.slice(0, 100))
          .slice(0, 50)
      : [],
    organization: organizationOf(src.organization ?? raw.organization),
  });
}

/** HF's organization: a name in the slim lines, `{name, fullname}` in the API; at most 200 characters. */
function organizationOf(value: unknown): string | null {
  const name = isObject(value) ? pickString(value.fullname, value.name) : pickString(value);
  const cleaned = cleanText(name).slice(0, 200);
  return cleaned === '' ? null : cleaned;
}

/** A YYYY-MM-DD string that is a real calendar day, or null. */
export function validDay(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value ? value : null;
}

function pickString(...values: unknown[]): string {
  for (const v of values) if (typeof v === 'string' && v.trim() !== '') return v;
  return '';
}

/** HF authors are names, or objects with a name and a hidden flag; hidden ones are left out. */
function authorNames(value: unknown): string[] {
  if (!Array.isArray(value)) return parseAuthors(value);
  const names = value.map((a) => (isObject(a) ? (a.hidden === true ? null : a.name) : a));
  return parseAuthors(names)
    .slice(0, LIMITS.authors)
    .map((n) => n.slice(0, LIMITS.authorName));
}

function username(src: Record<string, unknown>, raw: Record<string, unknown>): string | null {
  for (const candidate of [src.submittedOnDailyBy, raw.submittedBy]) {
    const name = isObject(candidate) ? candidate.user : candidate;
    if (typeof name === 'string' && USERNAME.test(name)) return name;
  }
  return null;
}
