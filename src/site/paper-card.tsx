import { SaveMenu } from '../collections/save-menu.tsx';
import { TopicChips } from '../keywords/topic-chips.tsx';
import { arxivLinks } from '../papers/arxiv-id.ts';
import { MARK_END, MARK_START } from '../papers/marks.ts';
import type { Paper } from '../papers/paper.ts';
import { readableText } from '../papers/readable-text.ts';
import { tex, texExcerpt, texParts } from '../papers/tex-text.tsx';
import { VoteButton } from '../votes/vote-button.tsx';
import { authorsPreview, compactNumber, paperPath, plural, shortDate } from '../web/format.ts';
import type { VoteContext } from './card-context.ts';

export interface CardFeature {
  day: string;
  submitter: string | null;
}

/**
 * The paper card, the same on every list: rank badge for the top three, upvotes, title, first authors,
 * submitter and day, categories, comments, arXiv/PDF/code links, and the start of the abstract.
 */
export function PaperCard(props: {
  paper: Paper;
  feature?: CardFeature | null;
  rank?: number;
  /** search results: title and abstract excerpt with the matched words between markers */
  marked?: { title: string; summary: string };
  /** the viewer's vote buttons; without it the button asks to log in */
  votes?: VoteContext;
}) {
  const { paper, feature, rank, marked, votes } = props;
  const { shown, more } = authorsPreview(paper.authors);
  return (
    <li class="card" id={`paper-${paper.id.replace('/', '-')}`}>
      {rank !== undefined && rank <= 3 ? (
        <span class={`rank rank-${rank}`} title={`#${rank} of this period`}>
          {rank}
        </span>
      ) : null}
      <VoteButton
        paperId={paper.id}
        upvotes={paper.upvotes}
        state={votes ? votes.stateOf(paper.id) : 'anonymous'}
        csrf={votes?.csrf ?? null}
        next={votes?.next}
      />
      <div>
        <h3>
          <a href={paperPath(paper.id)}>
            {marked ? tex(marked.title, (prose) => <Marked text={prose} />) : tex(paper.title)}
          </a>
        </h3>
        <div class="meta">
          <span>
            {shown.join(', ')}
            {more > 0 ? ` +${more}` : ''}
          </span>
          {feature ? (
            <span>
              featured <time datetime={feature.day}>{shortDate(feature.day)}</time>
              {feature.submitter ? ` by ${feature.submitter}` : ''}
            </span>
          ) : paper.publishedAt ? (
            <span>
              <time datetime={paper.publishedAt}>{shortDate(paper.publishedAt)}</time>
            </span>
          ) : null}
          <a href={`${paperPath(paper.id)}#comments`}>{plural(paper.numComments, 'comment')}</a>
          {(votes?.teamsOf?.(paper.id) ?? []).map((t) => (
            <a
              class="team-badge"
              href={`/teams/${t.slug}`}
              title={`${plural(t.members, 'member')} of ${t.name} featured, upvoted or saved this paper`}
            >
              {t.name} · {t.members}
            </a>
          ))}
        </div>
        <div class="links">
          <PaperLinks paper={paper} categories={3} arxivLabel="arXiv" />
          <a href={`${paperPath(paper.id)}.bib`} data-cite="bibtex" title="Copy the BibTeX citation">
            Cite
          </a>
          {votes?.collections && votes.savedIn ? (
            <SaveMenu
              paperId={paper.id}
              collections={votes.collections}
              savedIn={votes.savedIn(paper.id)}
              csrf={votes.csrf}
              next={votes.next}
            />
          ) : null}
        </div>
        {marked ? (
          <p class="abstract-preview">
            <Marked text={readableText(marked.summary)} />
          </p>
        ) : paper.abstract ? (
          abstractPreview(paper.abstract)
        ) : null}
        <TopicChips phrases={votes?.topicsOf?.(paper.id) ?? []} inCard />
      </div>
    </li>
  );
}

/** The start of an abstract, the rest in place on a click; cut (texExcerpt) only for cards that show it. */
function abstractPreview(abstract: string) {
  const { head, rest } = texExcerpt(abstract);
  if (rest.length === 0) return <p class="abstract-preview">{texParts(head)}</p>;
  return (
    <details class="abstract-preview">
      <summary>
        {texParts(head)}
        <span class="more">… more</span>
      </summary>
      {texParts(rest)}
    </details>
  );
}

/** Text with search matches between MARK_START and MARK_END, as escaped text and <mark> elements. */
export function Marked(props: { text: string }) {
  const parts = props.text.split(MARK_START);
  return (
    <>
      {parts.map((part, i) => {
        if (i === 0) return part;
        const end = part.indexOf(MARK_END);
        if (end === -1) return part;
        return (
          <>
            <mark>{part.slice(0, end)}</mark>
            {part.slice(end + 1)}
          </>
        );
      })}
    </>
  );
}

/**
 * A paper's outbound links, the same on cards and the paper page: its categories as chips (the primary first),
 * arXiv, the PDF, and the code and project page when known (member-set links are `nofollow`).
 */
export function PaperLinks(props: { paper: Paper; categories?: number; arxivLabel: string }) {
  const { paper } = props;
  const links = arxivLinks(paper.id);
  return (
    <>
      {paper.categories.slice(0, props.categories ?? paper.categories.length).map((c, i) => (
        <a href={`/new?cat=${encodeURIComponent(c)}`} class={i === 0 ? 'chip primary' : 'chip'}>
          {c}
        </a>
      ))}
      <a href={links.abs} rel="noopener">
        {props.arxivLabel}
      </a>
      <a href={links.pdf} rel="noopener">
        PDF
      </a>
      {paper.githubRepo ? (
        <a href={paper.githubRepo} rel="noopener nofollow">
          Code{paper.githubStars ? ` ★ ${compactNumber(paper.githubStars)}` : ''}
        </a>
      ) : null}
      {paper.projectPage ? (
        <a href={paper.projectPage} rel="noopener nofollow">
          Project page
        </a>
      ) : null}
    </>
  );
}
