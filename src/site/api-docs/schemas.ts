import { z } from 'zod';

/**
 * Schemas of the API's answers (and of the request bodies whose routes check them field by field), for the
 * OpenAPI document. The request schemas of `GET /api/daily_papers` and `POST /api/papers/{id}/links` are the
 * very ones the routes parse with (src/features/api.ts, src/code-links/input.ts).
 */
const iso = z.string().describe('ISO 8601, UTC, with milliseconds and Z');

export const userObject = z
  .object({
    _id: z.string(),
    user: z.string().describe('the username'),
    name: z.string(),
    fullname: z.string(),
    avatarUrl: z.string(),
    type: z.literal('user'),
  })
  .describe('a member');

export const authorObject = z.object({
  _id: z.string(),
  name: z.string(),
  hidden: z.boolean(),
  user: userObject.optional().describe('only for an author a moderator confirmed as a member'),
  status: z.literal('claimed_verified').optional().describe('with user'),
  statusLastChangedAt: iso.nullable().optional().describe('with user: when the claim was approved'),
});

const organization = z
  .null()
  .describe('always null: Paperboy has no organizations (Hugging Face: {_id, name, fullname, avatar})');
const source = z.literal('arxiv').describe('where the paper comes from');

const paperFields = {
  id: z.string().describe('arXiv id without version: 2502.08025, hep-th/9901001'),
  authors: z.array(authorObject),
  publishedAt: iso.describe('the arXiv publication date'),
  title: z.string(),
  summary: z.string().describe('the abstract'),
  upvotes: z.number().int(),
  discussionId: z.string(),
  projectPage: z.string().nullable(),
  githubRepo: z.string().nullable(),
  githubStars: z.number().int().nullable(),
  ai_summary: z.string().nullable(),
  ai_keywords: z.array(z.string()),
  withdrawnAt: iso.nullable(),
  organization,
  source,
};

export const dailyItem = z
  .object({
    paper: z.object({
      ...paperFields,
      submittedOnDailyAt: iso.nullable(),
      submittedOnDailyBy: userObject.nullable(),
    }),
    publishedAt: iso.describe('when the paper was featured'),
    title: z.string(),
    summary: z.string(),
    thumbnail: z.string(),
    numComments: z.number().int(),
    submittedBy: userObject.nullable(),
    isAuthorParticipating: z.boolean(),
    upvotes: z.number().int(),
    projectPage: z.string().nullable(),
    githubRepo: z.string().nullable(),
    githubStars: z.number().int().nullable(),
    ai_summary: z.string().nullable(),
    ai_keywords: z.array(z.string()),
    organization,
    source,
  })
  .describe('a paper on a daily list (the Hugging Face shape)');

export const flatPaper = z
  .object({
    ...paperFields,
    numComments: z.number().int(),
    submittedOnDailyAt: iso.nullable(),
    submittedOnDailyBy: userObject.nullable(),
    linkedModels: z.array(z.unknown()),
    numTotalModels: z.number().int(),
    linkedDatasets: z.array(z.unknown()),
    numTotalDatasets: z.number().int(),
    linkedSpaces: z.array(z.unknown()),
    numTotalSpaces: z.number().int(),
  })
  .describe('one paper (the Hugging Face shape)');

export const apiErrorBody = z.object({ error: z.string().describe('what was wrong, naming the parameter') });

export const upvoteAnswer = z.object({ upvotes: z.number().int(), upvoted: z.boolean() });

export const commentBody = z.object({ comment: z.string().min(1).max(10_000).describe('markdown') });

export const commentAnswer = z.object({
  id: z.string().describe('a whole number, as a string'),
  paperId: z.string(),
  parentId: z.string().nullable(),
  comment: z.string(),
});

type CommentRead = z.infer<typeof commentAnswer> & {
  author: z.infer<typeof userObject>;
  createdAt: string | null;
  editedAt: string | null;
  deleted: boolean;
  replies: CommentRead[];
};

export const commentRead: z.ZodType<CommentRead> = z
  .object({
    ...commentAnswer.shape,
    comment: z.string().describe('markdown; "" for a deleted comment kept for its replies'),
    author: userObject,
    createdAt: iso.nullable(),
    editedAt: iso.nullable(),
    deleted: z.boolean(),
    get replies() {
      return z.array(commentRead);
    },
  })
  .describe('a comment and its replies, oldest first');

export const linksAnswer = z.object({
  id: z.string(),
  githubRepo: z.string().nullable(),
  projectPage: z.string().nullable(),
});
