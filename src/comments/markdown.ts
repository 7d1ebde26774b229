import MarkdownIt from 'markdown-it';

/**
 * Comments are markdown, rendered to a safe subset of HTML: raw HTML in the source is shown as text
 * (markdown-it `html: false` escapes it), images are off (no tracking pixels), and links must be http(s) or
 * mailto and carry rel="nofollow ugc noopener" (Google's guidance for user-generated links). Pure.
 *
 * @example renderCommentMarkdown('see <b>[this](https://x.org)</b>')
 * // '<p>see &lt;b&gt;<a href="https://x.org" rel="nofollow ugc noopener">this</a>&lt;/b&gt;</p>\n'
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
md.disable(['image']);
md.validateLink = (url: string) => /^(https?:\/\/|mailto:)/i.test(url.trim());
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow ugc noopener');
  return self.renderToken(tokens, idx, options);
};

export const MAX_COMMENT_LENGTH = 10_000;

export function renderCommentMarkdown(source: string): string {
  return md.render(source);
}
