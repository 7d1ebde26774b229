import type { ArxivServices } from '../harvest/arxiv-services.ts';
import type { SearchService } from '../search/search-service.ts';
import type { WebDeps } from '../web/deps.ts';

/** What the pages that compose several domains get: the web's deps, search and the arXiv lookups. */
export interface AppDeps extends WebDeps {
  /** arXiv lookups ("Add this paper", submitting an unknown paper); absent when ARXIV_LOOKUPS_ENABLED is off */
  arxiv?: Pick<ArxivServices, 'addPapers'>;
  /** keyword, semantic and hybrid search, suggestions and similar papers */
  search: SearchService;
}
