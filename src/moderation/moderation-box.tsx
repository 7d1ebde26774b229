import { CsrfField } from '../web/forms.tsx';

/** The moderators' controls on a paper page: unfeature, hide or show again, with an optional reason. */
export function ModerationBox(props: {
  paperId: string;
  featured: boolean;
  hidden: boolean;
  csrf: string | null;
}) {
  const action = (what: string) => `/moderation/papers/${props.paperId}/${what}`;
  const Form = (p: { what: string; label: string }) => (
    <form method="post" action={action(p.what)}>
      <CsrfField csrf={props.csrf} />
      <input
        name="reason"
        placeholder="Reason (shown in the public log)"
        maxlength={500}
        aria-label="Reason"
      />
      <button type="submit">{p.label}</button>
    </form>
  );
  return (
    <div class="box">
      <h2>Moderation</h2>
      {props.featured ? <Form what="unfeature" label="Take off the daily list" /> : null}
      {props.hidden ? (
        <Form what="unhide" label="Show again" />
      ) : (
        <Form what="hide" label="Hide this paper" />
      )}
    </div>
  );
}
