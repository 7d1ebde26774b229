import type { Job } from '../jobs/registry.ts';
import { dailyAt } from '../jobs/schedule.ts';
import type { Logger } from '../log.ts';
import type { ArxivServices } from './arxiv-services.ts';
import { HarvestBusyError } from './harvest.store.ts';

/**
 * The scheduled harvest: `services.harvest` (the same function `paperboy harvest` calls) at the configured UTC
 * times. After a 403 it does not run again by itself: arXiv asks for a person to look first (README rule 10).
 */
export function createHarvestJob(services: ArxivServices, schedule: readonly string[], log: Logger): Job {
  return {
    name: 'harvest',
    schedule: dailyAt(schedule),
    lastRun: async () => {
      const at = await services.harvestStore.lastSuccessfulRunAt();
      return at ? Date.parse(at) : null;
    },
    async run(signal) {
      const last = await services.harvestStore.lastFinishedRun();
      if (last?.status === 'forbidden') {
        log.error(
          { alert: 'arxiv-forbidden', since: last.finishedAt },
          'scheduled harvest skipped: arXiv answered 403 on the last run; run `paperboy harvest` by hand once the cause is fixed',
        );
        return;
      }
      try {
        await services.harvest({ trigger: 'schedule', signal });
      } catch (err) {
        if (!(err instanceof HarvestBusyError)) throw err;
        log.warn({ reason: err.message }, 'scheduled harvest skipped');
      }
    },
  };
}
