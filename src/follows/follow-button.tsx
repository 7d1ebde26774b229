import type { Viewer } from '../web/env.ts';
import { CsrfField } from '../web/forms.tsx';
import type { FollowKind } from './follow-keys.ts';

const LABEL: Record<FollowKind, string> = {
  author: 'Follow this author',
  category: 'Follow this category',
  topic: 'Follow this topic',
  search: 'Save this search',
};
const FOLLOWING: Record<FollowKind, string> = {
  author: 'Following · unfollow',
  category: 'Following · unfollow',
  topic: 'Following · unfollow',
  search: 'Saved · remove',
};

/**
 * Follow or unfollow, on author, category, topic and search pages: a plain form (it works without JavaScript
 * and comes back to `next`); with htmx the button swaps itself for its new state. Anonymous readers get a link
 * to log in.
 */
export function FollowButton(props: {
  kind: FollowKind;
  value: string;
  following: boolean;
  viewer: Viewer | null;
  csrf: string | null;
  next: string;
}) {
  const { kind, value, following, next } = props;
  if (!props.viewer)
    return (
      <p class="follow small muted">
        <a href={`/login?next=${encodeURIComponent(next)}`}>Log in</a> to{' '}
        {kind === 'search' ? 'save this search' : `follow this ${kind}`} and be told of new papers.
      </p>
    );
  const action = following ? '/follows/delete' : '/follows';
  return (
    <form
      method="post"
      action={action}
      class="follow inline"
      hx-post={action}
      hx-target="this"
      hx-swap="outerHTML"
    >
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="value" value={value} />
      <input type="hidden" name="next" value={next} />
      <button
        type="submit"
        class={following ? 'following' : undefined}
        aria-pressed={following ? 'true' : 'false'}
      >
        {following ? FOLLOWING[kind] : LABEL[kind]}
      </button>
    </form>
  );
}
