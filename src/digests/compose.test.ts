import { describe, expect, it } from 'vitest';
import { type DigestPaper, digestText, emailExcerpt, selectPapers } from './compose.ts';

const paper = (id: string, categories: string[], title: string, upvotes: number): DigestPaper => ({
  id,
  title,
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],
  abstract: `Abstract of ${title}.`,
  categories,
  upvotes,
  githubRepo: null,
});
const candidates = [
  paper('1', ['cs.CV'], 'Diffusion models for video', 90),
  paper('2', ['cs.CL'], 'Aligning language models', 50),
  paper('3', ['cs.LG', 'cs.CL'], 'Sparse mixture of experts', 40),
  paper('4', ['cs.RO'], 'Robot grasping with RL', 30),
  paper('5', ['cs.CL'], 'Multilinguality', 10),
];
const ids = (papers: DigestPaper[]) => papers.map((p) => p.id);

describe('selectPapers', () => {
  it('keeps the top N featured papers when no topic is chosen', () => {
    expect(ids(selectPapers(candidates, { categories: [], keywords: [], count: 3 }))).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('keeps papers of the chosen categories, primary or cross-listed', () => {
    expect(ids(selectPapers(candidates, { categories: ['cs.CL'], keywords: [], count: 10 }))).toEqual([
      '2',
      '3',
      '5',
    ]);
  });

  it('matches keywords as whole words in title or abstract, with regex characters literal', () => {
    expect(ids(selectPapers(candidates, { categories: [], keywords: ['RL'], count: 10 }))).toEqual(['4']);
    expect(ids(selectPapers(candidates, { categories: [], keywords: ['language'], count: 10 }))).toEqual([
      '2',
    ]);
    expect(ids(selectPapers(candidates, { categories: [], keywords: ['lingua'], count: 10 }))).toEqual([]);
    expect(ids(selectPapers(candidates, { categories: [], keywords: ['.*'], count: 10 }))).toEqual([]);
    expect(
      ids(selectPapers(candidates, { categories: ['cs.RO'], keywords: ['diffusion'], count: 10 })),
    ).toEqual(['1', '4']);
  });
});

describe('digest text', () => {
  it('lists papers with links and ends with the manage and unsubscribe links', () => {
    const text = digestText('Lab papers', 'Top papers of Friday, 21 August 2026', candidates.slice(0, 1), {
      paper: (id) => `https://papers.example/papers/${id}`,
      view: 'https://papers.example/digest/v',
      manage: 'https://papers.example/subscription/m',
      unsubscribe: 'https://papers.example/unsubscribe/u',
    });
    expect(text).toContain(
      '1. Diffusion models for video\n   Ada Lovelace, Alan Turing, Grace Hopper +1 · 90 upvotes',
    );
    expect(text).toContain('https://papers.example/papers/1  ·  https://arxiv.org/abs/1');
    expect(text.trimEnd().endsWith('Unsubscribe: https://papers.example/unsubscribe/u')).toBe(true);
  });

  it('cuts long abstracts at a word', () => {
    expect(emailExcerpt('word '.repeat(100), 22)).toBe('word word word word…');
  });
});
