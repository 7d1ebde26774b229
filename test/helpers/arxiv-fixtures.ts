import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.ts';
import { sharedDataFile } from './shared-data.ts';

/** Hand-built fixtures for what arXiv has no recording of (test/fixtures/arxiv/README.md). */
export const SYNTHETIC_DIR = join(ROOT, 'test/fixtures/arxiv');

/** The recorded OAI-PMH and API answers (../shared/data/arxiv_responses); null (with a loud notice) when missing. */
export function recorded(name: string): Buffer | null {
  const path = sharedDataFile(`arxiv_responses/${name}`);
  return path ? readFileSync(path) : null;
}

/**
 * The HTTP body of a 2026 recording: arxiv.py saved `response.content.decode('latin-1')` in a JSON wrapper,
 * so the bytes come back with `Buffer.from(body, 'latin1')`.
 */
export function recordedJsonBody(name: string): { status: number; url: string; body: Buffer } | null {
  const raw = recorded(name);
  if (!raw) return null;
  const json = JSON.parse(raw.toString('utf8')) as { url: string; status_code: number; body: string };
  return { status: json.status_code, url: json.url, body: Buffer.from(json.body, 'latin1') };
}

export function synthetic(name: string): Buffer {
  return readFileSync(join(SYNTHETIC_DIR, name));
}

export const RECORDED = {
  oaiRaw: 'oai_arXivRaw_ListRecords_with_resumptionToken.xml',
  oaiArxiv: 'oai_arXiv_ListRecords_set_physics_hep-th.xml',
  oaiDc: 'oai_oai_dc_ListRecords_set_cs_with_resumptionToken.xml',
  oaiBadToken: 'oai_error_badResumptionToken.xml',
  oaiNoRecords: 'oai_error_noRecordsMatch.xml',
  apiLegacyId: 'api_legacy2016_id_list_1111.2011v2.xml',
  apiLegacySearch: 'api_legacy2016_search_au_del_maestro_s0_m10.xml',
  api2026Id: 'api_2026_id_list_astro-ph_0601001.json',
  api2026Search: 'api_2026_search_testing_s40_m10.json',
  api2026Error: 'api_2026_error_id_abc_http400.json',
} as const;

export const SYNTHETIC = {
  oaiPage2: 'synthetic-oai-new-server-arXivRaw-page2.xml',
  oaiLastPage: 'synthetic-oai-new-server-arXivRaw-last-page.xml',
  apiEmpty: 'synthetic-api-empty-feed.xml',
} as const;

/** The token of the recorded arXivRaw page (old server) and of the synthetic middle page (new server). */
export const PAGE1_TOKEN = '726959|1001';
export const PAGE2_TOKEN = 'verb%3DListRecords%26metadataPrefix%3DarXivRaw%26from%3D2014-10-01%26skip%3D1006';

/**
 * A three-page arXivRaw list: the recorded old-server page (6 records, token 726959|1001), then the synthetic
 * new-server pages (5 records with a deletion and a newer version of a page-1 paper; then 2 and the end).
 * Null when the shared recordings are missing.
 */
export function threePageList(page2 = synthetic(SYNTHETIC.oaiPage2)) {
  const first = recorded(RECORDED.oaiRaw);
  if (!first) return null;
  return { first, byToken: { [PAGE1_TOKEN]: page2, [PAGE2_TOKEN]: synthetic(SYNTHETIC.oaiLastPage) } };
}
