import { describe, expect, it } from 'vitest';
import { findPaperLinks, githubRepoOf } from './links.ts';

describe('findPaperLinks', () => {
  it('finds a repository at the end of a sentence', () => {
    expect(findPaperLinks('Code is available at https://github.com/zli12321/LHTB.')).toEqual({
      githubRepo: 'https://github.com/zli12321/LHTB',
      projectPage: null,
    });
  });

  it('reduces deep links to the repository and drops .git', () => {
    expect(githubRepoOf('https://github.com/org/repo.git')).toBe('https://github.com/org/repo');
    expect(githubRepoOf('https://github.com/org/repo/tree/main/src')).toBe('https://github.com/org/repo');
    expect(githubRepoOf('https://github.com/orgs/foo')).toBeNull();
    expect(githubRepoOf('https://gitlab.com/org/repo')).toBeNull();
  });

  it('takes a github.io page as the project page, from the comments too', () => {
    const links = findPaperLinks('We propose X.', 'Project page: https://physx-omni.github.io/');
    expect(links).toEqual({ githubRepo: null, projectPage: 'https://physx-omni.github.io/' });
  });

  it('takes a URL after "project page" and ignores arXiv, DOI and licence links', () => {
    const text =
      'See https://doi.org/10.1/x and https://arxiv.org/abs/1 (Project page: https://envharness.com/). https://github.com/google/envharness';
    expect(findPaperLinks(text)).toEqual({
      githubRepo: 'https://github.com/google/envharness',
      projectPage: 'https://envharness.com/',
    });
  });

  it('keeps a closing parenthesis that belongs to the URL', () => {
    expect(findPaperLinks('(demo at https://x.github.io/a_(b))').projectPage).toBe(
      'https://x.github.io/a_(b)',
    );
  });

  it('finds nothing in text without links', () => {
    expect(findPaperLinks(null, undefined, '', 'no links here')).toEqual({
      githubRepo: null,
      projectPage: null,
    });
  });
});
