import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives a working instance with no variables', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      WEB_PROCESSES: Math.min(8, availableParallelism()),
      HOST: '127.0.0.1',
      DATABASE_URL: 'sqlite:./data/paperboy.db',
      BASE_URL: 'http://localhost:8080',
      INSTANCE_NAME: 'Paperboy',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads and normalises values', () => {
    const config = loadConfig({
      PORT: '9000',
      BASE_URL: 'https://papers.example.org/',
      INSTANCE_NAME: '  Lab papers ',
      WEB_PROCESSES: '2',
    });
    expect(config).toMatchObject({
      WEB_PROCESSES: 2,
      PORT: 9000,
      BASE_URL: 'https://papers.example.org',
      INSTANCE_NAME: 'Lab papers',
    });
  });

  it('names every bad variable', () => {
    const bad = () =>
      loadConfig({
        PORT: '99999',
        BASE_URL: 'javascript:alert(1)',
        LOG_LEVEL: 'loud',
        IMPORT_BATCH_SIZE: '-1',
        WEB_PROCESSES: '0',
      });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      for (const name of ['PORT', 'BASE_URL', 'LOG_LEVEL', 'IMPORT_BATCH_SIZE', 'WEB_PROCESSES'])
        expect((err as Error).message).toContain(name);
    }
  });
});

describe('loadConfig: arXiv settings', () => {
  it('defaults to a polite daily harvest of cs and stat.ML from the new OAI server', () => {
    expect(loadConfig({})).toMatchObject({
      HARVEST_ENABLED: true,
      HARVEST_SCHEDULE: ['04:30'],
      HARVEST_SETS: ['cs', 'stat:stat:ML'],
      HARVEST_CATEGORIES: [],
      HARVEST_METADATA_PREFIX: 'arXivRaw',
      ARXIV_OAI_URL: 'https://oaipmh.arxiv.org/oai',
      ARXIV_API_URL: 'https://export.arxiv.org/api/query',
      ARXIV_ALLOWED_HOSTS: ['oaipmh.arxiv.org', 'export.arxiv.org'],
      ARXIV_MIN_INTERVAL_SECONDS: 3,
    });
  });

  it('reads lists and flags', () => {
    const config = loadConfig({
      HARVEST_ENABLED: 'false',
      HARVEST_SCHEDULE: '04:30, 16:05',
      HARVEST_SETS: 'cs:cs:AI,physics:hep-th',
      HARVEST_CATEGORIES: 'cs.CL, stat',
      ARXIV_MIN_INTERVAL_SECONDS: '10',
      ARXIV_OAI_URL: 'http://127.0.0.1:9999/oai',
      ARXIV_ALLOWED_HOSTS: '127.0.0.1:9999,export.arxiv.org',
    });
    expect(config).toMatchObject({
      HARVEST_ENABLED: false,
      HARVEST_SCHEDULE: ['04:30', '16:05'],
      HARVEST_SETS: ['cs:cs:AI', 'physics:hep-th'],
      HARVEST_CATEGORIES: ['cs.CL', 'stat'],
      ARXIV_MIN_INTERVAL_SECONDS: 10,
    });
    expect(loadConfig({ HARVEST_ENABLED: ' OFF ' }).HARVEST_ENABLED).toBe(false);
  });

  it('refuses a spacing under 3 s, bad sets and times, and base URLs on hosts not allowed', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { ARXIV_MIN_INTERVAL_SECONDS: '2.9' },
        /ARXIV_MIN_INTERVAL_SECONDS: arXiv asks for at least 3 seconds/,
      ],
      [{ HARVEST_SCHEDULE: '25:00' }, /HARVEST_SCHEDULE/],
      [{ HARVEST_SETS: 'cs,<script>' }, /HARVEST_SETS/],
      [{ HARVEST_ENABLED: 'maybe' }, /HARVEST_ENABLED/],
      [{ HARVEST_METADATA_PREFIX: 'oai_dc' }, /HARVEST_METADATA_PREFIX/],
      [
        { ARXIV_OAI_URL: 'https://evil.example/oai' },
        /ARXIV_OAI_URL: its host evil.example is not in ARXIV_ALLOWED_HOSTS/,
      ],
      [{ ARXIV_API_URL: 'file:///etc/passwd' }, /ARXIV_API_URL/],
      [{ ARXIV_CONTACT_EMAIL: 'not-an-email' }, /ARXIV_CONTACT_EMAIL/],
    ];
    for (const [env, message] of cases) expect(() => loadConfig(env)).toThrow(message);
  });
});
