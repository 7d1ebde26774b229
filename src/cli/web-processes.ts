/**
 * `serve` with WEB_PROCESSES > 1: this process (the primary) runs the scheduled jobs and forks that many web
 * processes, which share the listening port (each accepts new connections from it when it is free to) and open
 * the store themselves. One Node process uses one core for pages and searches; SQLite lets the processes read
 * the same file at once, and WAL lets one write while they read. What a process keeps in memory is either
 * shared through the database (rate limits: DatabaseRateLimiter; the page cache asks the database whether
 * anything changed) or may differ without harm (the document counts search caches). docs/deployment.md.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../log.ts';

/** True in a web process forked by `serve`: it serves pages and leaves the jobs to the primary. */
export function isForkedWebProcess(): boolean {
  return cluster.isWorker;
}

/** Deaths within a minute (per web process asked for) after which the primary gives up instead of forking. */
const MAX_DEATHS_PER_MINUTE = 3;

export interface WebProcesses {
  /** asks every web process to finish its requests and exit (SIGTERM); kills those still there after `timeoutMs` */
  stop(timeoutMs: number): Promise<void>;
  /** resolves when the primary gave up restarting processes that kept dying */
  failed: Promise<void>;
}

export function forkWebProcesses(count: number, log: Logger): WebProcesses {
  let stopping = false;
  const deaths: number[] = [];
  let giveUp: () => void = () => {};
  const failed = new Promise<void>((resolve) => {
    giveUp = resolve;
  });
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      deaths.push(now);
      while (deaths.length > 0 && deaths[0]! < now - 60_000) deaths.shift();
      if (deaths.length > MAX_DEATHS_PER_MINUTE * count) {
        log.error(
          { deaths: deaths.length },
          'web processes keep dying (see the lines above); stopping instead of starting more',
        );
        giveUp();
        return;
      }
      log.error({ webProcess: worker.process.pid, code, signal }, 'a web process died; starting another');
      setTimeout(() => {
        if (!stopping) fork();
      }, 1000).unref();
    });
    return worker;
  };
  // each process accepts from the shared socket itself (docs/decisions.md D49): with Node's round-robin the
  // primary hands connections over, and one handed to a process that has just died is never answered
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  for (let i = 0; i < count; i++) fork();
  return {
    failed,
    async stop(timeoutMs: number) {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => worker.process.kill('SIGKILL'), timeoutMs);
              worker.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
