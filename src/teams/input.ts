import type { TeamRole } from '../db/schema.ts';

/** What admins and leads may type on the team forms, checked. Pure. */
export const MAX_TEAM_NAME = 60;
export const MAX_TEAM_DESCRIPTION = 500;
export const MAX_SLUG = 40;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface TeamInput {
  name: string;
  slug: string;
  description: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * A team's slug from what was typed, or null: lowercase letters, digits and single hyphens, 1 to 40 characters.
 * @example parseSlug('vision-lab') // 'vision-lab'
 */
export function parseSlug(text: unknown): string | null {
  if (typeof text !== 'string' || text.length > MAX_SLUG) return null;
  return SLUG.test(text) ? text : null;
}

/**
 * A slug made from a name: accents dropped, anything but letters and digits a hyphen.
 * @example slugFromName('Vision Lab (Zürich)') // 'vision-lab-zurich'
 */
export function slugFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
}

/** A team's name and description from a form (the slug is read only when a team is made). */
export function teamDetailsFromForm(form: Record<string, string>): Checked<Omit<TeamInput, 'slug'>> {
  const name = (form.name ?? '').trim();
  if (!name) return { ok: false, error: 'Give the team a name, e.g. Vision lab.' };
  if (name.length > MAX_TEAM_NAME)
    return { ok: false, error: `A team name is at most ${MAX_TEAM_NAME} characters.` };
  if (hasInvisibleControls(name)) return { ok: false, error: 'A team name cannot hold control characters.' };
  const description = (form.description ?? '').trim();
  if (description.length > MAX_TEAM_DESCRIPTION)
    return { ok: false, error: `A description is at most ${MAX_TEAM_DESCRIPTION} characters.` };
  if (hasInvisibleControls(description.replace(/[\r\n\t]/g, ' ')))
    return { ok: false, error: 'A description cannot hold control characters.' };
  return { ok: true, value: { name, description } };
}

/** A new team from a form: its details, and its slug as typed or made from the name. */
export function newTeamFromForm(form: Record<string, string>): Checked<TeamInput> {
  const details = teamDetailsFromForm(form);
  if (!details.ok) return details;
  const typed = (form.slug ?? '').trim();
  const slug = typed ? parseSlug(typed.toLowerCase()) : slugFromName(details.value.name) || null;
  if (!slug)
    return {
      ok: false,
      error: typed
        ? `A team's address is 1 to ${MAX_SLUG} lowercase letters, digits and single hyphens, e.g. vision-lab.`
        : 'The name has no letters or digits to make an address from: type one, e.g. vision-lab.',
    };
  return { ok: true, value: { ...details.value, slug } };
}

/** A role from a form: lead or member. */
export function parseRole(text: unknown): TeamRole | null {
  return text === 'lead' || text === 'member' ? text : null;
}

/** C0 and C1 controls, and the bidirectional overrides that make a name read differently than it sorts. */
function hasInvisibleControls(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
      return true;
  }
  return false;
}
