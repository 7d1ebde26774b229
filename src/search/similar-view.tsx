import { readableText } from '../papers/readable-text.ts';
import { paperPath, shortDate } from '../web/format.ts';
import type { SearchHit } from './search.store.ts';

/** The "Similar papers" box of a paper page: titles linked, with their date. */
export function SimilarPapers(props: { hits: SearchHit[] }) {
  if (props.hits.length === 0) return null;
  return (
    <div class="box similar">
      <h2>Similar papers</h2>
      <ol class="similar-list">
        {props.hits.map((hit) => (
          <li>
            <a href={paperPath(hit.paper.id)}>{readableText(hit.paper.title)}</a>
            {hit.paper.publishedAt ? (
              <span class="muted small">
                {' '}
                · <time datetime={hit.paper.publishedAt}>{shortDate(hit.paper.publishedAt)}</time>
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
