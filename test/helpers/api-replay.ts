import { parseArxivId } from '../../src/papers/arxiv-id.ts';
import { RECORDED, recorded, recordedJsonBody } from './arxiv-fixtures.ts';
import { type Handler, send } from './local-server.ts';

/**
 * An arXiv API server over the recorded entries: `id_list` is answered with a feed of the recorded entries of
 * those ids (entries cut out of the recordings, wrapped in a feed header like the 2026 one); `id_list=abc`
 * with the recorded error feed and its HTTP 400. Null when the recordings are missing.
 */
export function apiReplay(): { handler: Handler; knownIds: string[] } | null {
  const sources = [
    recorded(RECORDED.apiLegacyId),
    recorded(RECORDED.apiLegacySearch),
    recordedJsonBody(RECORDED.api2026Id)?.body,
    recordedJsonBody(RECORDED.api2026Search)?.body,
  ];
  const error = recordedJsonBody(RECORDED.api2026Error);
  if (sources.some((s) => !s) || !error) return null;
  const entries = new Map<string, string>();
  for (const source of sources) {
    for (const entry of source!.toString('utf8').match(/<entry>[\s\S]*?<\/entry>/g) ?? []) {
      const id = parseArxivId(/<id>([^<]+)<\/id>/.exec(entry)?.[1] ?? '');
      if (id.ok) entries.set(id.value.id, entry);
    }
  }
  const handler: Handler = (_req, res, url) => {
    const ids = (url.searchParams.get('id_list') ?? '').split(',').filter(Boolean);
    if (ids.includes('abc')) return send(res, error.status, error.body);
    const found = ids.map((id) => entries.get(id)).filter(Boolean);
    send(
      res,
      200,
      `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/replay</id>
  <title>arXiv Query: id_list=${ids.join(',').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title>
  <opensearch:itemsPerPage>${ids.length}</opensearch:itemsPerPage>
  <opensearch:totalResults>${found.length}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  ${found.join('\n  ')}
</feed>`,
    );
  };
  return { handler, knownIds: [...entries.keys()] };
}
