import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** Every API error has the same shape: `{"error": "message"}` with the right status. */
export function apiError(c: Context, status: ContentfulStatusCode, message: string) {
  return c.json({ error: message }, status);
}

/** A refusal in words: the API's JSON error under /api/, plain text elsewhere. */
export function refused(c: Context, status: ContentfulStatusCode, message: string) {
  const text = message || 'The request could not be read.';
  if (c.req.path.startsWith('/api/')) return apiError(c, status, text);
  return c.text(text, status);
}

/** The first problem zod found, as one sentence naming the parameter. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  const name = issue.path.join('.');
  return name ? `${name}: ${issue.message}` : issue.message;
}
