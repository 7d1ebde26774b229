/**
 * English stop words left out of ranked queries when other words are there (a phrase keeps them). The list
 * is Lucene's English analyzer's plus common function words; measured on SciFact in docs/search.md.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does for from had has have he her his how i if in ' +
    'into is it its may might more most no nor not of on or our she should so such than that the their them ' +
    'then there these they this those to too was we were what when where which while who whom why will with ' +
    'would you your'
  ).split(' '),
);

/** True for a folded (lower-case) word that carries no topic. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
