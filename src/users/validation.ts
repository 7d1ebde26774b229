import { z } from 'zod';

/** What sign-up and settings accept. Pure. */
export const usernameSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{2,29}$/,
    'Use 3 to 30 letters, digits, - or _, starting with a letter or digit.',
  );

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'That email address is too long.')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'Enter an email address like name@example.org.')
  .regex(
    /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/,
    'Enter an email address like name@example.org.',
  );

/** OWASP: at least 8 characters, long passphrases allowed; we ask for 10. */
export const passwordSchema = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.');

export const signupSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
});

/** The first message for each field of a failed parse. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}
