import type { Config } from '../config.ts';
import { perEngine } from '../db/engine.ts';
import { type ArxivLookup, createArxivLookup } from '../ingest/arxiv-lookup.ts';
import type { BatchCounts } from '../ingest/import.sqlite.ts';
import { paperFingerprint } from '../ingest/kaggle.ts';
import { createPoliteFetcher, type PoliteFetcher } from '../ingest/polite-fetch.ts';
import { type Clock, systemClock } from '../jobs/clock.ts';
import type { Logger } from '../log.ts';
import { VERSION } from '../web/site.ts';
import { createPostgresHarvestStore } from './harvest.postgres.ts';
import { createHarvestStore } from './harvest.sqlite.ts';
import type { HarvestStore } from './harvest.store.ts';
import { type HarvestRequest, type HarvestSettings, type HarvestSummary, runHarvest } from './run-harvest.ts';

/**
 * Everything that talks to arXiv, built once per process from the configuration, so the harvest and the
 * lookups share one polite fetcher (one request in flight, 3 s apart, for both together).
 */
export interface ArxivServices {
  lookup: ArxivLookup;
  harvestStore: HarvestStore;
  harvest(request: HarvestRequest): Promise<HarvestSummary>;
  addPapers(ids: readonly string[], options?: AddPapersOptions): Promise<AddPapersResult>;
}

export interface AddPapersOptions {
  /** give up (sending nothing) if arXiv cannot be asked within this time: a person is waiting */
  maxWaitMs?: number;
}

export interface AddPapersResult {
  /** ids arXiv returned, now stored */
  stored: string[];
  /** ids arXiv does not have */
  missing: string[];
  counts: BatchCounts;
}

/**
 * "Paperboy/0.1.0 (+https://papers.example.org; mailto:admin@example.org)": who we are and how to reach us,
 * as arXiv asks of harvesters.
 */
export function arxivUserAgent(config: Pick<Config, 'BASE_URL' | 'ARXIV_CONTACT_EMAIL'>): string {
  const contact = config.ARXIV_CONTACT_EMAIL ? `; mailto:${config.ARXIV_CONTACT_EMAIL}` : '';
  return `Paperboy/${VERSION} (+${config.BASE_URL}${contact})`;
}

export function harvestSettingsFromConfig(config: Config): HarvestSettings {
  return {
    oaiUrl: config.ARXIV_OAI_URL,
    sets: config.HARVEST_SETS,
    metadataPrefix: config.HARVEST_METADATA_PREFIX,
    categories: config.HARVEST_CATEGORIES,
    initialDays: config.HARVEST_INITIAL_DAYS,
    maxBytes: config.ARXIV_MAX_RESPONSE_MB * 1024 * 1024,
  };
}

export function createArxivFetcher(config: Config, log: Logger, clock: Clock = systemClock): PoliteFetcher {
  if (!config.ARXIV_CONTACT_EMAIL) {
    log.warn(
      'ARXIV_CONTACT_EMAIL is not set: arXiv asks harvesters to give a contact address (docs/configuration.md)',
    );
  }
  return createPoliteFetcher({
    userAgent: arxivUserAgent(config),
    allowedHosts: config.ARXIV_ALLOWED_HOSTS,
    minIntervalMs: config.ARXIV_MIN_INTERVAL_SECONDS * 1000,
    timeoutMs: config.ARXIV_TIMEOUT_SECONDS * 1000,
    maxBytes: config.ARXIV_MAX_RESPONSE_MB * 1024 * 1024,
    maxAttempts: config.ARXIV_MAX_ATTEMPTS,
    clock,
    log,
  });
}

/**
 * The harvest's store on either engine. On SQLite, give it a connection of its own (`serve` does), so the
 * import writer's pragmas never touch the connection pages read from.
 */
export const harvestStoreOf = perEngine<HarvestStore>({
  sqlite: (s) => createHarvestStore(s.sqlite),
  postgres: (s) => createPostgresHarvestStore(s),
});

/** @param harvestStore where harvested and looked-up papers are written (harvestStoreOf) */
export function createArxivServices(
  config: Config,
  log: Logger,
  harvestStore: HarvestStore,
  options: { clock?: Clock; fetcher?: PoliteFetcher } = {},
): ArxivServices {
  const clock = options.clock ?? systemClock;
  const fetcher = options.fetcher ?? createArxivFetcher(config, log, clock);
  const lookup = createArxivLookup({
    fetcher,
    apiUrl: config.ARXIV_API_URL,
    maxBytes: config.ARXIV_MAX_RESPONSE_MB * 1024 * 1024,
  });
  const settings = harvestSettingsFromConfig(config);
  return {
    lookup,
    harvestStore,
    harvest: (request) => runHarvest({ store: harvestStore, fetcher, clock, log }, settings, request),
    async addPapers(ids, addOptions = {}) {
      const deadline = addOptions.maxWaitMs === undefined ? undefined : clock.now() + addOptions.maxWaitMs;
      const { found, missing } = await lookup.lookup(ids, { deadline });
      const counts = await harvestStore.writePapers(
        found.map((record) => ({ record, fingerprint: paperFingerprint(record) })),
      );
      log.info({ stored: found.map((p) => p.id), missing, ...counts }, 'papers looked up on arXiv');
      return { stored: found.map((p) => p.id), missing, counts };
    },
  };
}
