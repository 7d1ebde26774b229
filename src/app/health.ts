import type { Hono } from 'hono';
import type { AppEnv } from '../web/env.ts';
import type { AppDeps } from './deps.ts';

/**
 * `GET /healthz`: 200 `{"status":"ok"}` when the database answers (it is asked for its data version), 503 when it does not. For load balancers and
 * container health checks; open on a private instance, and it says nothing about the instance's contents.
 */
export function registerHealthCheck(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await deps.store.dataVersion();
      return c.json({ status: 'ok' });
    } catch (err) {
      deps.log.warn({ err }, 'health check: the database does not answer');
      return c.json({ status: 'unavailable', error: 'the database does not answer' }, 503);
    }
  });
}
