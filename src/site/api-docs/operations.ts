import { z } from 'zod';
import { linksBody } from '../../code-links/input.ts';
import { dailyPapersQuery } from '../daily-api.ts';
import { papersListQuery } from '../paper-api.ts';
import { commentSchema } from '../submit.tsx';
import {
  apiErrorBody,
  commentAnswer,
  commentBody,
  commentRead,
  dailyItem,
  flatPaper,
  linksAnswer,
  upvoteAnswer,
} from './schemas.ts';

/** One API operation as the route table serves it, with the zod schemas of its input and answers. */
export interface Operation {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  description?: string;
  tag: 'Papers' | 'Members' | 'Feeds and citations';
  /** needs an API token (or the browser session) */
  auth?: boolean;
  query?: z.ZodType;
  pathParams?: { name: string; description: string }[];
  body?: z.ZodType;
  responses: Record<string, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const paperId = [
  { name: 'arxivId', description: 'an arXiv id (2312.07000) or old-style id (hep-th/9901001)' },
];
const error = (description: string) => ({ description, schema: apiErrorBody });
const feedQuery = z.object({
  q: z.string().max(250).describe('for /feeds/search: the search, as typed in the search box').optional(),
});

export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/daily_papers',
    summary: 'Featured papers of a day, week or month (or the newest features)',
    description:
      'With date, week or month: that period by upvotes, most first. Without: the newest features first. At most one of date, week and month.',
    tag: 'Papers',
    query: dailyPapersQuery,
    responses: {
      '200': { description: 'daily items', schema: z.array(dailyItem) },
      '400': error('a bad parameter'),
    },
  },
  {
    method: 'get',
    path: '/api/papers',
    summary: 'Every paper, newest arXiv date first, a page at a time',
    description:
      'The next page, when there is one, is named by the Link header (rel="next"), as the huggingface_hub client follows it; its cursor goes back as `cursor`.',
    tag: 'Papers',
    query: papersListQuery,
    responses: {
      '200': { description: 'papers (the shape of /api/papers/{arxivId})', schema: z.array(flatPaper) },
      '400': error('a bad cursor or limit'),
    },
  },
  {
    method: 'get',
    path: '/api/papers/{arxivId}/comments',
    summary: 'A paper’s comments, replies nested',
    tag: 'Papers',
    pathParams: paperId,
    responses: {
      '200': { description: 'the thread, oldest first', schema: z.array(commentRead) },
      '400': error('not an arXiv id'),
      '404': error('not in this instance'),
    },
  },
  {
    method: 'get',
    path: '/api/papers/{arxivId}/comment/{commentId}',
    summary: 'One comment and its replies',
    tag: 'Papers',
    pathParams: [...paperId, { name: 'commentId', description: 'the comment' }],
    responses: {
      '200': { description: 'the comment', schema: commentRead },
      '400': error('not an arXiv id or not a comment id'),
      '404': error('no such comment on this paper'),
      '410': error('the comment was deleted'),
    },
  },
  {
    method: 'get',
    path: '/api/papers/{arxivId}',
    summary: 'One paper',
    tag: 'Papers',
    pathParams: paperId,
    responses: {
      '200': { description: 'the paper', schema: flatPaper },
      '400': error('not an arXiv id'),
      '404': error('not in this instance'),
    },
  },
  {
    method: 'post',
    path: '/api/papers/submit',
    summary: 'Feature a paper on today’s list',
    tag: 'Members',
    auth: true,
    body: z.object({
      arxivId: z.string().describe('an id, arXiv:…, or an arXiv/Hugging Face/alphaXiv URL'),
      comment: commentSchema.optional(),
    }),
    responses: {
      '201': { description: 'the new daily item', schema: dailyItem },
      '400': error('not an arXiv id'),
      '404': error('unknown to arXiv'),
      '409': error('already featured'),
      '422': error('too old to feature'),
      '429': error('daily cap reached'),
    },
  },
  {
    method: 'post',
    path: '/api/papers/{arxivId}/upvote',
    summary: 'Upvote a paper',
    tag: 'Members',
    auth: true,
    pathParams: paperId,
    responses: {
      '200': { description: 'the new count', schema: upvoteAnswer },
      '404': error('unknown paper'),
    },
  },
  {
    method: 'delete',
    path: '/api/papers/{arxivId}/upvote',
    summary: 'Take an upvote back',
    tag: 'Members',
    auth: true,
    pathParams: paperId,
    responses: {
      '200': { description: 'the new count', schema: upvoteAnswer },
      '404': error('unknown paper'),
    },
  },
  {
    method: 'post',
    path: '/api/papers/{arxivId}/comment',
    summary: 'Comment on a paper',
    tag: 'Members',
    auth: true,
    pathParams: paperId,
    body: commentBody,
    responses: {
      '201': { description: 'the comment', schema: commentAnswer },
      '404': error('unknown paper'),
    },
  },
  {
    method: 'post',
    path: '/api/papers/{arxivId}/comment/{commentId}/reply',
    summary: 'Reply to a comment',
    tag: 'Members',
    auth: true,
    pathParams: [...paperId, { name: 'commentId', description: 'the comment replied to' }],
    body: commentBody,
    responses: {
      '201': { description: 'the reply', schema: commentAnswer },
      '404': error('no such comment on this paper'),
      '410': error('the comment was deleted'),
    },
  },
  {
    method: 'post',
    path: '/api/papers/{arxivId}/links',
    summary: 'Set a paper’s GitHub repository and project page',
    description:
      'For the member who featured the paper, its confirmed authors and moderators. A field left out stays; null or "" removes it.',
    tag: 'Members',
    auth: true,
    pathParams: paperId,
    body: linksBody,
    responses: {
      '200': { description: 'the links now', schema: linksAnswer },
      '400': error('not a GitHub repository or http(s) URL'),
      '403': error('not the submitter, an author or a moderator'),
      '404': error('unknown paper'),
    },
  },
  ...(
    [
      'daily',
      'weekly',
      'trending',
      'new',
      'new/{category}',
      'search',
      'topics/{keyphrase}',
      'collections/{id}',
    ] as const
  ).map(
    (feed): Operation => ({
      method: 'get',
      path: `/feeds/${feed}.{format}`,
      summary: `Feed: ${feed}`,
      tag: 'Feeds and citations',
      query: feed === 'search' ? feedQuery : undefined,
      pathParams: [
        { name: 'format', description: 'rss (RSS 2.0), atom (Atom 1.0) or json (JSON Feed 1.1)' },
        ...[...feed.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, description: m[1]! })),
      ],
      responses: {
        '200': { description: 'the feed', contentType: 'application/rss+xml' },
        '400': { description: 'a bad parameter' },
        '404': { description: 'no such feed (or a private collection)' },
      },
    }),
  ),
  {
    method: 'get',
    path: '/papers/{arxivId}.{format}',
    summary: 'A paper’s citation or markdown',
    description: 'format: bib (BibTeX), ris (RIS), json (CSL-JSON) or md (markdown).',
    tag: 'Feeds and citations',
    pathParams: [...paperId, { name: 'format', description: 'bib, ris, json or md' }],
    responses: {
      '200': { description: 'the file', contentType: 'application/x-bibtex' },
      '404': { description: 'unknown or hidden paper' },
    },
  },
  {
    method: 'get',
    path: '/collections/{id}.{format}',
    summary: 'A public collection’s citations',
    tag: 'Feeds and citations',
    pathParams: [
      { name: 'id', description: 'the collection' },
      { name: 'format', description: 'bib, ris or json (CSL-JSON)' },
    ],
    responses: {
      '200': { description: 'every paper of the collection', contentType: 'application/x-bibtex' },
      '404': { description: 'no such collection, or a private one' },
    },
  },
];
