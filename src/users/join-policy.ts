/**
 * Who may create an account (docs/configuration.md, "Who may join and who may read"). Pure: the same rules for a
 * password sign-up and a first single sign-on.
 * - SIGNUP=open: anyone; SIGNUP=invitation: only with an invitation link, except the instance's first account
 *   (its admin).
 * - SIGNUP_EMAIL_DOMAINS, when set, limits every new account to those domains (exactly: lab.org does not admit
 *   cs.lab.org), invitations included.
 * - An invitation made for one address admits only that address.
 */
export interface JoinPolicy {
  signup: 'open' | 'invitation';
  domains: readonly string[];
}

export interface JoinRequest {
  email: string;
  /** the invitation presented, if any (already checked to be usable) */
  invitation: { email: string | null } | null;
  /** whether the instance has no member yet */
  firstAccount: boolean;
}

/** Why this email may not join, in words for the page; null when it may. */
export function joinRefusal(policy: JoinPolicy, request: JoinRequest): string | null {
  const email = request.email.trim().toLowerCase();
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (policy.domains.length > 0 && !policy.domains.some((d) => d.toLowerCase() === domain)) {
    return `Accounts here are for addresses at ${listOf(policy.domains)}.`;
  }
  const invited = request.invitation;
  if (invited?.email && invited.email.toLowerCase() !== email) {
    return 'This invitation was made for another email address.';
  }
  if (policy.signup === 'invitation' && !invited && !request.firstAccount) {
    return 'Joining is by invitation: ask an admin for an invitation link.';
  }
  return null;
}

function listOf(domains: readonly string[]): string {
  return domains.length === 1 ? domains[0]! : `${domains.slice(0, -1).join(', ')} or ${domains.at(-1)}`;
}
