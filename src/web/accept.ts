/**
 * Does an `Accept` header ask for markdown rather than HTML? Pure. True when `text/markdown` (or
 * `text/x-markdown`) is named with a quality above 0 and above that of `text/html` (named or through `text/*`,
 * `*\/*`): `curl -H 'Accept: text/markdown'` gets markdown, a browser (`text/html,…,*\/*;q=0.8`) gets the page.
 * Whatever does not parse counts as not said: a malformed header gets the page, never an error. Only the first
 * 64 entries of at most 4,096 characters are read.
 */
export function prefersMarkdown(accept: string | undefined | null): boolean {
  if (!accept || !/markdown/i.test(accept)) return false;
  let markdown = 0;
  let html: number | null = null;
  let htmlRank = -1;
  for (const entry of accept.slice(0, 4096).split(',').slice(0, 64)) {
    const [rawType, ...params] = entry.split(';');
    const type = (rawType ?? '').trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      // RFC 9110's qvalue: 0 to 1 with at most three decimals; any other q makes the entry unreadable
      const m = /^\s*q\s*=\s*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(param);
      if (m) q = Number(m[1]);
      else if (/^\s*q\s*=/i.test(param)) q = Number.NaN;
    }
    if (Number.isNaN(q)) continue;
    if (type === 'text/markdown' || type === 'text/x-markdown') markdown = Math.max(markdown, q);
    // the most specific range that covers text/html decides its quality
    const rank = type === 'text/html' ? 2 : type === 'text/*' ? 1 : type === '*/*' ? 0 : -1;
    if (rank >= 0 && (rank > htmlRank || (rank === htmlRank && q > (html ?? 0)))) {
      htmlRank = rank;
      html = q;
    }
  }
  return markdown > 0 && markdown > (html ?? 0);
}
