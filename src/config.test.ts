import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives a working instance with no variables', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
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
    });
    expect(config).toMatchObject({
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
      });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      for (const name of ['PORT', 'BASE_URL', 'LOG_LEVEL', 'IMPORT_BATCH_SIZE'])
        expect((err as Error).message).toContain(name);
    }
  });
});
