import { STOP_WORDS } from './stopwords.ts';

/**
 * Keyphrases of one text by YAKE (Campos et al., "YAKE! Keyword extraction from single documents using multiple
 * local features", Information Sciences 509, 2020): statistics of the text alone (no model, no corpus), so it
 * runs offline on any paper. Pure.
 *
 * Each word t (lower-cased, not a stop word) gets five features: casing (T_case: how often it is capitalised
 * mid-sentence or an acronym), position (T_pos: ln ln(3 + median sentence index)), frequency (T_freq:
 * TF / (mean + sd)), relatedness to context (T_rel: 1 + (distinct left + right neighbours / occurrences) ·
 * TF / maxTF) and spread (T_diff: sentences containing it / sentences). Its score is
 * S(t) = T_rel · T_pos / (T_case + T_freq / T_rel + T_diff / T_rel); a candidate phrase of 1–3 words scores
 * Π S(t) / (TF(phrase) · (1 + Σ S(t))). Lower is better. Near-duplicates (one phrase inside another) are
 * dropped. The title is read as the first sentence, so its words weigh more.
 *
 * @example extractKeyphrases('Sparse Mixture of Experts', 'We route tokens to experts…') // ['sparse mixture', …]
 */
export interface KeyphraseOptions {
  /** how many phrases to keep */
  top?: number;
  /** longest phrase, in words other than the "of"/"and" inside ("sparse mixture of experts" is 3) */
  maxWords?: number;
}

interface Occurrence {
  sentence: number;
  upper: boolean;
  acronym: boolean;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

export function extractKeyphrases(title: string, abstract: string, options: KeyphraseOptions = {}): string[] {
  const top = options.top ?? 8;
  const maxWords = options.maxWords ?? 3;
  const sentences = splitSentences(`${title}.\n${abstract}`);
  // tokens per sentence, with chunk breaks at punctuation (a phrase never spans a comma or parenthesis)
  const terms = new Map<
    string,
    { occ: Occurrence[]; left: Map<string, number>; right: Map<string, number> }
  >();
  const chunks: { words: string[]; sentence: number }[] = [];
  sentences.forEach((sentence, s) => {
    for (const part of sentence.split(/[,;:()[\]{}"“”!?]|\s[-–—]\s/)) {
      const words = part.match(WORD) ?? [];
      if (words.length === 0) continue;
      chunks.push({ words, sentence: s });
      words.forEach((raw, i) => {
        const word = raw.toLowerCase().replace(/[’']s$/, '');
        let term = terms.get(word);
        if (!term) {
          term = { occ: [], left: new Map(), right: new Map() };
          terms.set(word, term);
        }
        term.occ.push({
          sentence: s,
          upper: i > 0 && /^\p{Lu}/u.test(raw),
          acronym: raw.length > 1 && raw === raw.toUpperCase() && /\p{Lu}/u.test(raw),
        });
        // co-occurrence within a window of 2 words each side, as YAKE does
        for (let j = Math.max(0, i - 2); j < i; j++) {
          const other = words[j]!.toLowerCase();
          if (STOP_WORDS.has(other)) continue;
          term.left.set(other, (term.left.get(other) ?? 0) + 1);
          const back = terms.get(other);
          if (back) back.right.set(word, (back.right.get(word) ?? 0) + 1);
        }
      });
    }
  });
  const scores = scoreTerms(terms, sentences.length);
  const candidates = new Map<string, { words: string[]; count: number }>();
  for (const { words } of chunks) {
    const lower = words.map((w) => w.toLowerCase().replace(/[’']s$/, ''));
    for (let i = 0; i < lower.length; i++) {
      for (let n = 1; n <= maxWords + 1 && i + n <= lower.length; n++) {
        const gram = lower.slice(i, i + n);
        if (!isCandidate(gram) || gram.filter((w) => !STOP_WORDS.has(w)).length > maxWords) continue;
        const key = gram.join(' ');
        const entry = candidates.get(key);
        if (entry) entry.count++;
        else candidates.set(key, { words: gram, count: 1 });
      }
    }
  }
  const ranked = [...candidates.entries()]
    .map(([phrase, { words, count }]) => {
      let product = 1;
      let sum = 0;
      for (const w of words) {
        if (STOP_WORDS.has(w)) continue;
        const s = scores.get(w) ?? 1;
        product *= s;
        sum += s;
      }
      return { phrase, score: product / (count * (1 + sum)) };
    })
    .sort((a, b) => a.score - b.score || a.phrase.localeCompare(b.phrase));
  // near-duplicates: a phrase sharing half its words with a better one is dropped (YAKE uses edit distance)
  const chosen: { phrase: string; words: Set<string> }[] = [];
  for (const { phrase } of ranked) {
    if (chosen.length >= top) break;
    // singular and plural count as one word here ("model", "models")
    const words = new Set(
      phrase
        .split(' ')
        .filter((w) => !STOP_WORDS.has(w))
        .map((w) => w.replace(/(?<=\w{3})s$/, '')),
    );
    const overlaps = chosen.some((c) => {
      let shared = 0;
      for (const w of words) if (c.words.has(w)) shared++;
      return shared / Math.min(words.size, c.words.size) >= 0.5;
    });
    if (!overlaps) chosen.push({ phrase, words });
  }
  return chosen.map((c) => c.phrase);
}

function splitSentences(text: string): string[] {
  return text
    .replace(/\$[^$]*\$/g, ' ') // LaTeX math is not a keyphrase
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\d])|\n+/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

function isCandidate(words: string[]): boolean {
  for (const [i, w] of words.entries()) {
    // inside a phrase only "of" and "and" may stand ("mixture of experts"); never at its ends
    if (STOP_WORDS.has(w) && (i === 0 || i === words.length - 1 || (w !== 'of' && w !== 'and'))) return false;
    if (w.length < 2 || /^[\d.,'’-]+$/u.test(w)) return false;
  }
  return words.join(' ').length >= 3;
}

function scoreTerms(
  terms: Map<string, { occ: Occurrence[]; left: Map<string, number>; right: Map<string, number> }>,
  sentenceCount: number,
): Map<string, number> {
  const content = [...terms.entries()].filter(([w]) => !STOP_WORDS.has(w));
  const tfs = content.map(([, t]) => t.occ.length);
  const mean = tfs.reduce((a, b) => a + b, 0) / Math.max(1, tfs.length);
  const sd = Math.sqrt(tfs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, tfs.length));
  const maxTf = Math.max(1, ...tfs);
  const scores = new Map<string, number>();
  for (const [word, t] of content) {
    const tf = t.occ.length;
    const upper = t.occ.filter((o) => o.upper).length;
    const acronym = t.occ.filter((o) => o.acronym).length;
    const tCase = Math.max(upper, acronym) / (1 + Math.log(tf));
    const positions = t.occ.map((o) => o.sentence).sort((a, b) => a - b);
    const median = positions[Math.floor(positions.length / 2)]!;
    const tPos = Math.log(Math.log(3 + median));
    const tFreq = tf / (mean + sd || 1);
    const spread = (m: Map<string, number>) => {
      let total = 0;
      for (const v of m.values()) total += v;
      return total === 0 ? 0 : m.size / total;
    };
    const tRel = 1 + (spread(t.left) + spread(t.right)) * (tf / maxTf);
    const tDiff = new Set(positions).size / Math.max(1, sentenceCount);
    scores.set(word, (tRel * tPos) / (tCase + tFreq / tRel + tDiff / tRel));
  }
  return scores;
}

/**
 * Splits a text into plain parts and parts that are one of the phrases (whole words, any case), for marking
 * keyphrases in an abstract. Pure.
 * @example markPhrases('Sparse experts win', ['sparse experts']) // [{ text: 'Sparse experts', phrase: true }, { text: ' win', phrase: false }]
 */
export function markPhrases(text: string, phrases: string[]): { text: string; phrase: boolean }[] {
  const usable = phrases.filter((p) => p.length >= 3).sort((a, b) => b.length - a.length);
  if (usable.length === 0 || text === '') return [{ text, phrase: false }];
  const escaped = usable.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const parts: { text: string; phrase: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index), phrase: false });
    parts.push({ text: m[0], phrase: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), phrase: false });
  return parts;
}
