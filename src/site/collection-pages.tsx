import type { Context, Hono } from 'hono';
import { CITATION_CONTENT_TYPES, type CitationFormat, renderCitations } from '../citations/formats.ts';
import {
  addToCollection,
  type ChangeResult,
  type Collection,
  collectionPapers,
  collectionsOf,
  createCollection,
  deleteCollection,
  findCollection,
  moveInCollection,
  recentPublicCollections,
  removeFromCollection,
  updateCollection,
} from '../collections/collections.store.ts';
import { collectionForm, collectionId, formPaperId, moveDirections } from '../collections/input.ts';
import { requireViewer } from '../users/require.ts';
import type { AppEnv } from '../web/env.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { paperPath, plural, shortDate } from '../web/format.ts';
import { CsrfField, Field, formFields } from '../web/forms.tsx';
import { Layout, who } from '../web/layout.tsx';
import { tooManyRequests } from '../web/limits.ts';
import { redirectLocal } from '../web/redirect.ts';
import { voteContext } from './card-context.ts';
import type { AppDeps } from './deps.ts';
import { FeedLinks, feedAlternates } from './feed-routes.tsx';
import { PaperCard } from './paper-card.tsx';

const WRITE_LIMIT = { max: 60, windowMs: 60_000 };

/**
 * Collections: members' named lists of papers. Private ones exist only for their owner (anyone else gets the
 * same 404 as for a collection that does not exist); public ones have a page, a feed and citation exports.
 */
export function registerCollectionRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  /** The collection if the viewer may see it, else null (404 either way: existence is not revealed). */
  const visible = async (c: Context<AppEnv>, idText: string | undefined) => {
    const id = collectionId(idText);
    const col = id === null ? null : await findCollection(deps.store.db, id);
    if (!col) return null;
    if (!col.public && c.get('viewer')?.id !== col.userId) return null;
    return col;
  };
  const notFound = (c: Context<AppEnv>) => {
    c.status(404);
    return c.html(
      <ErrorPage {...who(c)} site={deps.site} status={404} title="No such collection" path={c.req.path}>
        <p>There is no collection here, or it is private.</p>
      </ErrorPage>,
    );
  };
  /** Member, CSRF (middleware) and the write limit: the viewer or the answer to send instead. */
  const writer = async (c: Context<AppEnv>) => {
    const auth = requireViewer(c);
    if ('response' in auth) return auth;
    const limited = await deps.limiter.hit(`collections:${auth.viewer.id}`, WRITE_LIMIT);
    if (!limited.ok)
      return { response: tooManyRequests(c, limited.retryAfterSeconds, 'changes to collections') };
    return auth;
  };

  app.get('/collections', async (c) => {
    const viewer = c.get('viewer');
    const [mine, recent] = await Promise.all([
      viewer ? collectionsOf(deps.store.db, viewer.id, true) : Promise.resolve([]),
      recentPublicCollections(deps.store.db, 30),
    ]);
    return c.html(
      <Layout {...who(c)} site={deps.site} meta={{ title: 'Collections', path: '/collections' }}>
        <h1>Collections</h1>
        {viewer ? (
          <>
            <h2>Yours</h2>
            <CollectionList
              items={mine}
              empty="You have no collections yet: make one here, or Save a paper from any list."
            />
            <NewCollectionForm csrf={c.get('csrf')} />
          </>
        ) : (
          <p class="muted">
            <a href="/login?next=/collections">Log in</a> to make your own lists of papers.
          </p>
        )}
        <h2>Public collections</h2>
        <CollectionList items={recent} empty="No public collection yet." showOwner />
      </Layout>,
    );
  });

  app.post('/collections', async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    const parsed = collectionForm.safeParse(await formFields(c.req));
    if (!parsed.success) return c.text(parsed.error.issues[0]!.message, 400);
    const id = await createCollection(deps.store.db, auth.viewer.id, {
      name: parsed.data.name,
      description: parsed.data.description,
      public: parsed.data.visibility === 'public',
    });
    if (id === null) return c.text('You have as many collections as allowed (100).', 409);
    return c.redirect(`/collections/${id}`, 303);
  });

  /** "Save" from a card: add to (or remove from) a collection, making a new one if asked. */
  app.post('/collections/save', async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    const form = await formFields(c.req);
    const paperId = formPaperId(form.paper_id);
    if (!paperId) return c.text('paper_id must be an arXiv id.', 400);
    let id: number | null;
    let name = '';
    if (form.collection_id === 'new' || !form.collection_id) {
      if (form.action === 'remove') return c.text('Choose a collection to remove the paper from.', 400);
      const parsed = collectionForm.safeParse({ name: form.new_name || 'Reading list' });
      if (!parsed.success) return c.text(parsed.error.issues[0]!.message, 400);
      name = parsed.data.name;
      id = await createCollection(deps.store.db, auth.viewer.id, { name, description: '', public: false });
      if (id === null) return c.text('You have as many collections as allowed (100).', 409);
    } else {
      id = collectionId(form.collection_id);
      if (id === null) return c.text('No such collection.', 404);
    }
    const result =
      form.action === 'remove'
        ? await removeFromCollection(deps.store.db, auth.viewer.id, id, paperId)
        : await addToCollection(deps.store.db, auth.viewer.id, id, paperId);
    const failed = changeFailure(result);
    if (failed) return c.text(failed.message, failed.status);
    if (c.req.header('hx-request')) {
      const col = await findCollection(deps.store.db, id);
      return c.html(
        <p class="saved small" role="status">
          {form.action === 'remove' ? 'Removed from ' : 'Saved to '}
          <a href={`/collections/${id}`}>{col?.name ?? name}</a>
        </p>,
      );
    }
    return redirectLocal(c, deps.site.baseUrl, form.next);
  });

  app.get('/collections/:file{[0-9]+\\.(bib|ris|json)}', async (c) => {
    const [idText, ext] = c.req.param('file').split('.');
    const col = await visible(c, idText);
    if (!col) return c.text('No such collection.', 404);
    const format: CitationFormat = ext === 'json' ? 'csl' : (ext as CitationFormat);
    const papers = (await collectionPapers(deps.store.db, col.id)).map((p) => p.paper);
    if (!col.public) c.header('Cache-Control', 'private, no-store');
    c.header('Content-Type', CITATION_CONTENT_TYPES[format]);
    c.header('Content-Disposition', `inline; filename="collection-${col.id}.${ext}"`);
    return c.body(renderCitations(format, papers));
  });

  app.get('/collections/:id', async (c) => {
    const col = await visible(c, c.req.param('id'));
    if (!col) return notFound(c);
    const viewer = c.get('viewer');
    const owner = viewer?.id === col.userId;
    const items = await collectionPapers(deps.store.db, col.id);
    const votes = await voteContext(
      c,
      deps,
      items.map((i) => i.paper.id),
    );
    if (!col.public) c.header('Cache-Control', 'private, no-store');
    const path = `/collections/${col.id}`;
    const csrf = c.get('csrf');
    return c.html(
      <Layout
        {...who(c)}
        site={deps.site}
        meta={{
          title: col.name,
          description: col.description || `A collection of ${plural(col.papers, 'paper')} by ${col.owner}.`,
          path,
          alternates: col.public ? feedAlternates(col.name, `collections/${col.id}`) : undefined,
        }}
      >
        <h1>{col.name}</h1>
        <p class="muted">
          {col.public ? 'Public' : 'Private'} collection by <a href={`/u/${col.owner}`}>{col.owner}</a> ·{' '}
          {plural(col.papers, 'paper')} · updated {shortDate(col.updatedAt)}
        </p>
        {col.description ? <p>{col.description}</p> : null}
        <p class="links">
          Export: <a href={`${path}.bib`}>BibTeX</a> · <a href={`${path}.ris`}>RIS</a> ·{' '}
          <a href={`${path}.json`}>CSL-JSON</a>
        </p>
        {col.public ? (
          <>
            <p class="small muted">
              Share: <code>{`${deps.site.baseUrl}${path}`}</code>
            </p>
            <FeedLinks path={`collections/${col.id}`} />
          </>
        ) : null}
        {items.length === 0 ? (
          <p class="empty">No papers yet. Use “Save” on any paper card to add one.</p>
        ) : null}
        <ol class="cards">
          {items.map((item, i) => (
            <>
              <PaperCard paper={item.paper} votes={votes} />
              {owner ? (
                <li class="collection-controls">
                  <OrderButtons
                    id={col.id}
                    paperId={item.paper.id}
                    csrf={csrf}
                    first={i === 0}
                    last={i === items.length - 1}
                  />
                </li>
              ) : null}
            </>
          ))}
        </ol>
        {owner ? <EditForm col={col} csrf={csrf} /> : null}
      </Layout>,
    );
  });

  app.post('/collections/:id/:action{edit|delete|move|remove}', async (c) => {
    const auth = await writer(c);
    if ('response' in auth) return auth.response;
    const id = collectionId(c.req.param('id'));
    const col = id === null ? null : await findCollection(deps.store.db, id);
    if (!col || col.userId !== auth.viewer.id) return c.text('No such collection.', 404);
    const form = await formFields(c.req);
    const action = c.req.param('action');
    if (action === 'edit') {
      const parsed = collectionForm.safeParse(form);
      if (!parsed.success) return c.text(parsed.error.issues[0]!.message, 400);
      await updateCollection(deps.store.db, auth.viewer.id, col.id, {
        name: parsed.data.name,
        description: parsed.data.description,
        public: parsed.data.visibility === 'public',
      });
      return c.redirect(`/collections/${col.id}`, 303);
    }
    if (action === 'delete') {
      await deleteCollection(deps.store.db, auth.viewer.id, col.id);
      return c.redirect('/collections', 303);
    }
    const paperId = formPaperId(form.paper_id);
    if (!paperId) return c.text('paper_id must be an arXiv id.', 400);
    let result: ChangeResult;
    if (action === 'remove')
      result = await removeFromCollection(deps.store.db, auth.viewer.id, col.id, paperId);
    else {
      const direction = moveDirections.find((d) => d === form.direction);
      if (!direction) return c.text('direction must be up, down, top or bottom.', 400);
      result = await moveInCollection(deps.store.db, auth.viewer.id, col.id, paperId, direction);
    }
    const failed = changeFailure(result);
    if (failed) return c.text(failed.message, failed.status);
    return c.redirect(`/collections/${col.id}#paper-${paperId.replace('/', '-')}`, 303);
  });
}

function changeFailure(result: ChangeResult): { status: 404 | 409; message: string } | null {
  if (result === 'not-found') return { status: 404, message: 'No such collection.' };
  if (result === 'no-paper') return { status: 404, message: 'No such paper (in this collection).' };
  if (result === 'full') return { status: 409, message: 'This collection is full (1000 papers).' };
  return null;
}

export function CollectionList(props: { items: Collection[]; empty: string; showOwner?: boolean }) {
  if (props.items.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <ul class="collections">
      {props.items.map((col) => (
        <li>
          <a href={`/collections/${col.id}`}>{col.name}</a>{' '}
          <span class="muted small">
            {plural(col.papers, 'paper')}
            {props.showOwner ? ` · by ${col.owner}` : ''}
            {col.public ? '' : ' · private'}
          </span>
        </li>
      ))}
    </ul>
  );
}

function NewCollectionForm(props: { csrf: string | null }) {
  return (
    <form method="post" action="/collections" class="form">
      <h3>New collection</h3>
      <CsrfField csrf={props.csrf} />
      <Field label="Name" name="name" maxlength={100} />
      <Field label="Description" name="description" required={false} maxlength={1000} />
      <Visibility value="private" />
      <button type="submit" class="primary">
        Create
      </button>
    </form>
  );
}

function Visibility(props: { value: 'public' | 'private' }) {
  return (
    <fieldset class="field">
      <legend>Who can see it</legend>
      <label>
        <input type="radio" name="visibility" value="private" checked={props.value === 'private'} /> Only me
      </label>{' '}
      <label>
        <input type="radio" name="visibility" value="public" checked={props.value === 'public'} /> Everyone
        (with a feed)
      </label>
    </fieldset>
  );
}

function EditForm(props: { col: Collection; csrf: string | null }) {
  const { col, csrf } = props;
  return (
    <section class="box" style="margin-top:24px">
      <h2>Edit this collection</h2>
      <form method="post" action={`/collections/${col.id}/edit`} class="form">
        <CsrfField csrf={csrf} />
        <Field label="Name" name="name" value={col.name} maxlength={100} />
        <Field
          label="Description"
          name="description"
          value={col.description}
          required={false}
          maxlength={1000}
        />
        <Visibility value={col.public ? 'public' : 'private'} />
        <button type="submit">Save changes</button>
      </form>
      <form method="post" action={`/collections/${col.id}/delete`} class="inline">
        <CsrfField csrf={csrf} />
        <button type="submit" class="link">
          Delete this collection
        </button>
      </form>
    </section>
  );
}

function OrderButtons(props: {
  id: number;
  paperId: string;
  csrf: string | null;
  first: boolean;
  last: boolean;
}) {
  const button = (direction: string, label: string, title: string, disabled: boolean) => (
    <form method="post" action={`/collections/${props.id}/move`} class="inline">
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="paper_id" value={props.paperId} />
      <input type="hidden" name="direction" value={direction} />
      <button type="submit" class="link" title={title} disabled={disabled}>
        {label}
      </button>
    </form>
  );
  return (
    <span class="small">
      {button('top', '⇈ Top', `Move ${props.paperId} to the top`, props.first)}
      {button('up', '↑ Up', `Move ${props.paperId} up`, props.first)}
      {button('down', '↓ Down', `Move ${props.paperId} down`, props.last)}
      <form method="post" action={`/collections/${props.id}/remove`} class="inline">
        <CsrfField csrf={props.csrf} />
        <input type="hidden" name="paper_id" value={props.paperId} />
        <button type="submit" class="link" title={`Remove ${props.paperId} from this collection`}>
          Remove
        </button>
      </form>
      <a href={paperPath(props.paperId)} class="muted">
        {props.paperId}
      </a>
    </span>
  );
}
