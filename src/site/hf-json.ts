import type { ClaimedAuthor } from '../authors/claims.store.ts';
import type { FeatureItem } from '../features/features.store.ts';
import type { Paper } from '../papers/paper.ts';

/**
 * The JSON shapes of the Hugging Face Papers API (../shared/guide/hf-papers-api.md), field for field,
 * so the huggingface_hub client and scripts built on it work against Paperboy. Pure.
 */
export interface HfUser {
  _id: string;
  user: string;
  name: string;
  fullname: string;
  avatarUrl: string;
  type: 'user';
}

export interface HfAuthor {
  _id: string;
  name: string;
  hidden: boolean;
  /** the member who is this author (an approved claim) */
  user?: HfUser;
  /** with `user`: Hugging Face's word for a claim its owner proved; Paperboy's are approved by a moderator */
  status?: 'claimed_verified';
  /** with `user`: when the claim was approved */
  statusLastChangedAt?: string | null;
}

/** Approved author claims: an author's name as written on the paper → the member who holds it. */
export type ClaimedAuthors = ReadonlyMap<string, ClaimedAuthor>;

/**
 * Hugging Face's `organization` of a paper (`{_id, name, fullname, avatar}` there): the organization it was
 * submitted for, as the imported Daily Papers records name it; null for a paper with none. `name` is a slug of
 * the full name, and the avatar is a generated one, sent as `avatar` (HF's key) and `avatarUrl` (what
 * huggingface_hub's Organization reads). docs/api.md lists the differences.
 */
export interface HfOrganization {
  _id: string;
  name: string;
  fullname: string;
  avatar: string;
  avatarUrl: string;
}

export function hfOrganization(fullname: string | null | undefined, baseUrl: string): HfOrganization | null {
  if (!fullname) return null;
  const slug =
    fullname
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 96) || 'organization';
  const avatar = `${baseUrl}/avatars/${slug}.svg`;
  return { _id: `org-${slug}`, name: slug, fullname, avatar, avatarUrl: avatar };
}

/** Every paper here comes from arXiv; the client reads `source` from the top level of an answer. */
const SOURCE = 'arxiv';
const NO_CLAIMS: ClaimedAuthors = new Map();

export interface FeatureInfo {
  submittedAt: string;
  submitter: string | null;
}

export function hfUser(username: string, baseUrl: string): HfUser {
  return {
    _id: `user-${username}`,
    user: username,
    name: username,
    fullname: username,
    avatarUrl: `${baseUrl}/avatars/${encodeURIComponent(username)}.svg`,
    type: 'user',
  };
}

function authorsJson(paper: Paper, claimed: ClaimedAuthors, baseUrl: string): HfAuthor[] {
  return paper.authors.map((name, i) => {
    const member = claimed.get(name);
    const author: HfAuthor = { _id: `${paper.id}-a${i + 1}`, name, hidden: false };
    if (member) {
      // as Hugging Face sends a claimed author: user, status and statusLastChangedAt; unclaimed ones have none
      author.user = { ...hfUser(member.username, baseUrl), fullname: name };
      author.status = 'claimed_verified';
      author.statusLastChangedAt = isoMillis(member.since);
    }
    return author;
  });
}

/** Is one of the paper's authors a member (an approved claim)? HF's `isAuthorParticipating`. */
export function authorParticipates(paper: Paper, claimed: ClaimedAuthors): boolean {
  return paper.authors.some((name) => claimed.has(name));
}

/** ISO 8601 in UTC with milliseconds and Z, as the client expects. */
export function isoMillis(value: string | null): string | null {
  if (!value) return null;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The `paper` object inside a daily item. */
export function hfPaper(
  paper: Paper,
  feature: FeatureInfo | null,
  baseUrl: string,
  claimed: ClaimedAuthors = NO_CLAIMS,
) {
  return {
    id: paper.id,
    authors: authorsJson(paper, claimed, baseUrl),
    publishedAt: isoMillis(paper.publishedAt) ?? isoMillis(feature?.submittedAt ?? null),
    submittedOnDailyAt: isoMillis(feature?.submittedAt ?? null),
    submittedOnDailyBy: feature?.submitter ? hfUser(feature.submitter, baseUrl) : null,
    title: paper.title,
    summary: paper.abstract,
    upvotes: paper.upvotes,
    discussionId: `d-${paper.id}`,
    projectPage: paper.projectPage,
    githubRepo: paper.githubRepo,
    githubStars: paper.githubStars,
    ai_summary: paper.aiSummary,
    ai_keywords: paper.aiKeywords,
    withdrawnAt: null,
    organization: hfOrganization(paper.organization, baseUrl),
    source: SOURCE,
  };
}

/**
 * A daily item (the shape of `/api/daily_papers` and of search results) for a paper, featured or not: its top-level
 * `publishedAt` is the day it was featured, else its arXiv date.
 */
export function hfDailyItem(
  paper: Paper,
  feature: FeatureInfo | null,
  baseUrl: string,
  claimed: ClaimedAuthors = NO_CLAIMS,
) {
  return {
    paper: hfPaper(paper, feature, baseUrl, claimed),
    publishedAt: isoMillis(feature?.submittedAt ?? null) ?? isoMillis(paper.publishedAt),
    title: paper.title,
    summary: paper.abstract,
    thumbnail: `${baseUrl}/papers/${paper.id}/thumbnail.svg`,
    numComments: paper.numComments,
    submittedBy: feature?.submitter ? hfUser(feature.submitter, baseUrl) : null,
    isAuthorParticipating: authorParticipates(paper, claimed),
    upvotes: paper.upvotes,
    projectPage: paper.projectPage,
    githubRepo: paper.githubRepo,
    githubStars: paper.githubStars,
    ai_summary: paper.aiSummary,
    ai_keywords: paper.aiKeywords,
    organization: hfOrganization(paper.organization, baseUrl),
    source: SOURCE,
  };
}

/** One item of `/api/daily_papers`. */
export function dailyItem(item: FeatureItem, baseUrl: string, claimed: ClaimedAuthors = NO_CLAIMS) {
  return hfDailyItem(
    item.paper,
    { submittedAt: item.submittedAt, submitter: item.submitter },
    baseUrl,
    claimed,
  );
}

/** `/api/papers/{id}`: the paper's fields at the top level, plus counts and empty artefact links. */
export function flatPaper(
  paper: Paper,
  feature: FeatureInfo | null,
  baseUrl: string,
  claimed: ClaimedAuthors = NO_CLAIMS,
) {
  return {
    ...hfPaper(paper, feature, baseUrl, claimed),
    numComments: paper.numComments,
    linkedModels: [],
    numTotalModels: 0,
    linkedDatasets: [],
    numTotalDatasets: 0,
    linkedSpaces: [],
    numTotalSpaces: 0,
  };
}
