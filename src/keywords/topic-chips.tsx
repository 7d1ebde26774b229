import { topicPath } from './topic.ts';

/**
 * The keyphrases as topic chips: on the paper page a navigation landmark, on a card (`inCard`) a plain row, so
 * a list of fifty cards does not announce fifty "Topics" landmarks.
 */
export function TopicChips(props: { phrases: string[]; inCard?: boolean }) {
  if (props.phrases.length === 0) return null;
  const chips = props.phrases.map((p) => (
    <a href={topicPath(p)} class="chip topic">
      {p}
    </a>
  ));
  return props.inCard ? (
    <div class="links topics">{chips}</div>
  ) : (
    <nav class="links" aria-label="Topics">
      {chips}
    </nav>
  );
}
