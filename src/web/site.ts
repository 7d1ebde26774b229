import type { Config } from '../config.ts';

/** What every page needs to know about the instance. */
export interface Site {
  name: string;
  description: string;
  baseUrl: string;
  version: string;
}

export const VERSION = '0.1.0';

export function siteFromConfig(config: Config): Site {
  return {
    name: config.INSTANCE_NAME,
    description: config.INSTANCE_DESCRIPTION,
    baseUrl: config.BASE_URL,
    version: VERSION,
  };
}
