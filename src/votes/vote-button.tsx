import { paperPath } from '../web/format.ts';

export type VoteState = 'anonymous' | 'upvoted' | 'not-upvoted';

export interface VoteProps {
  paperId: string;
  upvotes: number;
  state: VoteState;
  csrf: string | null;
  /** where a plain form post comes back to */
  next?: string;
}

/**
 * The upvote button: a plain form that works without JavaScript (post, then back to the page), which htmx
 * turns into an in-place update. Anonymous visitors get a link to log in and come back.
 */
export function VoteButton(props: VoteProps) {
  const { paperId, upvotes, state, csrf } = props;
  const next = props.next ?? paperPath(paperId);
  if (state === 'anonymous') {
    return (
      <a class="votes" href={`/login?next=${encodeURIComponent(next)}`} title="Log in to upvote">
        <span class="arrow" aria-hidden="true">
          ▲
        </span>
        <span class="count">{upvotes}</span>
      </a>
    );
  }
  const on = state === 'upvoted';
  const action = `${paperPath(paperId)}/${on ? 'unvote' : 'upvote'}`;
  return (
    <form class="vote-form" method="post" action={action} hx-post={action} hx-swap="outerHTML">
      {csrf ? <input type="hidden" name="_csrf" value={csrf} /> : null}
      <input type="hidden" name="next" value={next} />
      <button
        type="submit"
        class={on ? 'votes upvoted' : 'votes'}
        aria-pressed={on ? 'true' : 'false'}
        title={on ? 'Remove your upvote' : 'Upvote'}
      >
        <span class="arrow" aria-hidden="true">
          ▲
        </span>
        <span class="count">{upvotes}</span>
      </button>
    </form>
  );
}
