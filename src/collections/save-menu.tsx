import { CsrfField } from '../web/forms.tsx';

/**
 * "Save" on a paper card: a plain form (works without JavaScript; htmx swaps in the answer) to put the paper in
 * one of the member's collections, take it out, or start a new collection with it.
 */
export function SaveMenu(props: {
  paperId: string;
  collections: { id: number; name: string }[];
  savedIn: Set<number>;
  csrf: string | null;
  next: string;
}) {
  const { paperId, collections, savedIn } = props;
  const first = collections.find((c) => savedIn.has(c.id)) ?? collections[0];
  return (
    <details class="save-menu">
      <summary>{savedIn.size > 0 ? `Saved (${savedIn.size})` : 'Save'}</summary>
      <form
        method="post"
        action="/collections/save"
        hx-post="/collections/save"
        hx-target="closest details"
        hx-swap="outerHTML"
        class="save-form"
      >
        <CsrfField csrf={props.csrf} />
        <input type="hidden" name="paper_id" value={paperId} />
        <input type="hidden" name="next" value={props.next} />
        {collections.length > 0 ? (
          <label>
            Collection{' '}
            <select name="collection_id" aria-label="Collection">
              {collections.map((c) => (
                <option value={String(c.id)} selected={c.id === first?.id}>
                  {savedIn.has(c.id) ? `✓ ${c.name}` : c.name}
                </option>
              ))}
              <option value="new">New collection…</option>
            </select>
          </label>
        ) : (
          <input type="hidden" name="collection_id" value="new" />
        )}
        <input
          name="new_name"
          maxlength={100}
          placeholder="New collection name"
          aria-label="New collection name"
        />
        <button type="submit" name="action" value="add">
          Save
        </button>
        {savedIn.size > 0 ? (
          <button type="submit" name="action" value="remove" class="link">
            Remove
          </button>
        ) : null}
      </form>
    </details>
  );
}
