import { raw } from 'hono/html';
import { type DigestLinks, type DigestPaper, emailExcerpt } from './compose.ts';

/**
 * The digest's HTML part: tables and inline styles (what mail clients render), light by default, with a
 * `prefers-color-scheme: dark` block for the clients that honour it (Apple Mail, Outlook.com). Text goes
 * through hono/jsx, which escapes it. Also used for "view in browser".
 */
const DARK_MODE_CSS = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .bg { background: #0f1115 !important; }
  .card { background: #151920 !important; border-color: #2a303a !important; }
  .text { color: #e6e8eb !important; }
  .muted { color: #9aa3ae !important; }
  .link { color: #8ab4ff !important; }
}`;

const font = 'font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;';

export function DigestEmail(props: {
  siteName: string;
  title: string;
  intro: string;
  papers: DigestPaper[];
  links: DigestLinks;
  /** the member's recommendations, when they opted in */
  forYou?: { paper: DigestPaper; because: string }[];
}) {
  const { siteName, title, intro, papers, links } = props;
  const forYou = props.forYou ?? [];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>{title}</title>
        <style>{raw(DARK_MODE_CSS)}</style>
      </head>
      <body class="bg" style={`margin:0;padding:0;background:#f6f7f9;${font}`}>
        <div style="display:none;max-height:0;overflow:hidden">{intro}</div>
        <table
          role="presentation"
          width="100%"
          cellpadding="0"
          cellspacing="0"
          class="bg"
          style="background:#f6f7f9"
        >
          <tr>
            <td align="center" style="padding:24px 12px">
              <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px">
                <tr>
                  <td style="padding:0 4px 16px">
                    <div
                      class="muted"
                      style={`${font}color:#b45309;font-size:13px;font-weight:700;letter-spacing:.04em;text-transform:uppercase`}
                    >
                      {siteName}
                    </div>
                    <h1
                      class="text"
                      style={`${font}color:#1a1d23;font-size:22px;line-height:1.3;margin:4px 0 0`}
                    >
                      {title}
                    </h1>
                    <p class="muted" style={`${font}color:#5d6673;font-size:14px;margin:6px 0 0`}>
                      {intro}
                    </p>
                  </td>
                </tr>
                {papers.map((p, i) => (
                  <tr>
                    <td style="padding:0 0 12px">
                      <table
                        role="presentation"
                        width="100%"
                        cellpadding="0"
                        cellspacing="0"
                        class="card"
                        style="background:#ffffff;border:1px solid #e3e6eb;border-radius:10px"
                      >
                        <tr>
                          <td style="padding:14px 16px">
                            <div class="muted" style={`${font}color:#5d6673;font-size:12px`}>
                              #{i + 1} · ▲ {p.upvotes} · {p.categories.slice(0, 2).join(', ')}
                            </div>
                            <a
                              href={links.paper(p.id)}
                              class="link"
                              style={`${font}color:#1d4ed8;font-size:17px;font-weight:600;line-height:1.35;text-decoration:none`}
                            >
                              {p.title}
                            </a>
                            <div class="muted" style={`${font}color:#5d6673;font-size:13px;margin-top:2px`}>
                              {p.authors.slice(0, 3).join(', ')}
                              {p.authors.length > 3 ? ` +${p.authors.length - 3}` : ''}
                            </div>
                            <p
                              class="text"
                              style={`${font}color:#1a1d23;font-size:14px;line-height:1.5;margin:8px 0`}
                            >
                              {emailExcerpt(p.abstract)}
                            </p>
                            <div style={`${font}font-size:13px`}>
                              <a href={links.paper(p.id)} class="link" style="color:#1d4ed8">
                                Discuss
                              </a>{' '}
                              ·{' '}
                              <a href={`https://arxiv.org/abs/${p.id}`} class="link" style="color:#1d4ed8">
                                arXiv
                              </a>{' '}
                              ·{' '}
                              <a href={`https://arxiv.org/pdf/${p.id}`} class="link" style="color:#1d4ed8">
                                PDF
                              </a>
                              {p.githubRepo ? (
                                <>
                                  {' '}
                                  ·{' '}
                                  <a href={p.githubRepo} class="link" style="color:#1d4ed8">
                                    Code
                                  </a>
                                </>
                              ) : null}
                            </div>
                          </td>
                        </tr>
                      </table>
                    </td>
                  </tr>
                ))}
                {forYou.length > 0 ? (
                  <tr>
                    <td style="padding:8px 4px 12px">
                      <h2 class="text" style={`${font}color:#1a1d23;font-size:18px;margin:8px 0`}>
                        For you
                      </h2>
                      {forYou.map((f) => (
                        <p style={`${font}font-size:14px;margin:0 0 10px`}>
                          <a
                            href={links.paper(f.paper.id)}
                            class="link"
                            style="color:#1d4ed8;font-weight:600;text-decoration:none"
                          >
                            {f.paper.title}
                          </a>
                          <br />
                          <span class="muted" style="color:#5d6673;font-size:13px">
                            {f.because}
                          </span>
                        </p>
                      ))}
                    </td>
                  </tr>
                ) : null}
                <tr>
                  <td
                    class="muted"
                    style={`${font}color:#5d6673;font-size:12px;line-height:1.6;padding:8px 4px`}
                  >
                    <a href={links.view} class="link" style="color:#5d6673">
                      View in your browser
                    </a>{' '}
                    ·{' '}
                    <a href={links.manage} class="link" style="color:#5d6673">
                      Change your topics
                    </a>{' '}
                    ·{' '}
                    <a href={links.unsubscribe} class="link" style="color:#5d6673">
                      Unsubscribe
                    </a>
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

/** The HTML part as a string, with its doctype. */
export function renderDigestHtml(props: Parameters<typeof DigestEmail>[0]): string {
  return `<!DOCTYPE html>${(<DigestEmail {...props} />).toString()}`;
}
