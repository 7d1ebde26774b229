/**
 * Papers like a given one, by words: the paper's most telling terms (title words and the abstract's terms with
 * the highest tf·idf) searched as one long any-word query and ranked by BM25F like any search. With an embedding
 * model, search-service.ts fuses this with the nearest vectors.
 */
import type { SqliteStore } from '../db/connect.ts';
import { idf } from './bm25f.ts';
import { type ParsedQuery, parseQuery } from './query-parse.ts';
import { DEFAULT_RANKING, searchKeys } from './search.sqlite.ts';
import { NO_FILTERS } from './search.store.ts';
import { corpusStats } from './stats.sqlite.ts';
import { isStopWord } from './stop-words.ts';
import { foldWord, stemWord } from './tokens.ts';

/** Terms of the query made from a paper. */
const SIMILAR_TERMS = 12;
/** Abstract terms considered (the most frequent ones), to bound the document-count lookups. */
const ABSTRACT_CANDIDATES = 30;

/** A paper's telling terms as a query: surface words, best first. Pure but for the counts. */
export function paperTerms(store: SqliteStore, title: string, abstract: string): string[] {
  const counts = new Map<string, { word: string; tf: number; inTitle: boolean }>();
  const add = (text: string, inTitle: boolean) => {
    for (const raw of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
      const word = foldWord(raw);
      if (word.length < 3 || isStopWord(word) || /^\d+$/.test(word)) continue;
      const stem = stemWord(word);
      const entry = counts.get(stem) ?? { word, tf: 0, inTitle: false };
      entry.tf += inTitle ? 2 : 1;
      entry.inTitle ||= inTitle;
      counts.set(stem, entry);
    }
  };
  add(title, true);
  add(abstract, false);
  const ranked = [...counts.entries()].sort((a, b) => b[1].tf - a[1].tf);
  const considered = ranked.filter(([, e], i) => e.inTitle || i < ABSTRACT_CANDIDATES);
  const stats = corpusStats(
    store,
    considered.map(([stem]) => stem),
  );
  return considered
    .map(([stem, e]) => ({ word: e.word, weight: e.tf * idf(stats.docs, stats.df.get(stem) ?? 0) }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, SIMILAR_TERMS)
    .map((t) => t.word);
}

/** The query that finds papers like this one. */
export function similarQuery(store: SqliteStore, title: string, abstract: string): ParsedQuery {
  return parseQuery(paperTerms(store, title, abstract).join(' '));
}

/** Keys of the papers most like the paper `pk`, best first, without it. */
export function similarKeys(store: SqliteStore, pk: number, limit: number): number[] {
  const row = store.sqlite.prepare('SELECT title, abstract FROM papers WHERE pk = ?').get(pk) as
    | { title: string; abstract: string }
    | undefined;
  if (!row) return [];
  const query = similarQuery(store, row.title, row.abstract);
  const ranking = { ...DEFAULT_RANKING, maxAllTerms: 0 };
  return searchKeys(store, query, limit + 1, ranking, NO_FILTERS)
    .filter((k) => k !== pk)
    .slice(0, limit);
}

/** The key of a paper by its arXiv id. */
export function paperKey(store: SqliteStore, id: string): number | null {
  const pk = store.sqlite.prepare('SELECT pk FROM papers WHERE id = ? AND hidden_at IS NULL').pluck().get(id);
  return typeof pk === 'number' ? pk : null;
}
