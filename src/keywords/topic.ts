/** A topic from a URL: a keyphrase as stored (lower case, single spaces), or null. Pure. */
export function topicOf(text: string | undefined): string | null {
  if (!text) return null;
  const topic = text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  return topic.length >= 2 && topic.length <= 100 && /[\p{L}\p{N}]/u.test(topic) ? topic : null;
}

/** The page of a topic. */
export function topicPath(phrase: string): string {
  return `/topics/${encodeURIComponent(phrase)}`;
}
