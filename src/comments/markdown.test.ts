import { describe, expect, it } from 'vitest';
import { renderCommentMarkdown } from './markdown.ts';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![img](https://evil.example/pixel.png)',
  '<a href="javascript:alert(1)">x</a>',
  '"><svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '[x](vbscript:msgbox(1))',
  '<style>body{display:none}</style>',
  'javascript:alert(1)',
];

describe('renderCommentMarkdown', () => {
  it('renders the safe subset: emphasis, code, lists, links with rel', () => {
    expect(renderCommentMarkdown('*great* `code`\n\n- a\n- b')).toBe(
      '<p><em>great</em> <code>code</code></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n',
    );
    expect(renderCommentMarkdown('[paper](https://arxiv.org/abs/2401.00001)')).toBe(
      '<p><a href="https://arxiv.org/abs/2401.00001" rel="nofollow ugc noopener">paper</a></p>\n',
    );
    expect(renderCommentMarkdown('see https://example.org')).toContain(
      '<a href="https://example.org" rel="nofollow ugc noopener">',
    );
  });

  it.each(HOSTILE)('leaves nothing executable in %s', (payload) => {
    const html = renderCommentMarkdown(payload);
    expect(html).not.toMatch(/<(script|img|iframe|svg|style|a\s+href="(javascript|data|vbscript):)/i);
    // no element carries an event handler attribute (escaped text like &lt;svg onload=…&gt; is inert)
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+\s*=/i);
  });
});
