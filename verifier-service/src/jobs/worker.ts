// Background work on graphile-worker, in the same PostgreSQL. Tasks are thin: they parse the payload and call
// the services.
import { run, Logger, type Runner, type TaskList } from 'graphile-worker';
import type pg from 'pg';
import type { Deps } from '../context';
import { runDeliver, runExpire } from '../services/delivery';
import { runWriteback } from '../services/writeback';

const id = (payload: unknown, key: string): string => {
  const value = (payload as Record<string, unknown> | null)?.[key];
  if (typeof value !== 'string') throw new Error(`job payload has no ${key}`);
  return value;
};

export function taskList(deps: Deps): TaskList {
  return {
    deliver: async (payload, helpers) => {
      await runDeliver(deps, id(payload, 'deliveryId'), { number: helpers.job.attempts, max: helpers.job.max_attempts });
    },
    writeback: async (payload) => {
      await runWriteback(deps, id(payload, 'eventId'));
    },
    expire: async (payload) => {
      await runExpire(deps, id(payload, 'verificationId'));
    },
  };
}

export async function startWorker(deps: Deps, pool: pg.Pool, opts: { concurrency: number; pollInterval?: number }): Promise<Runner> {
  const log = deps.log.child({ component: 'worker' });
  const logger = new Logger((scope) => (level, message) => {
    const fn = level === 'error' ? log.error : level === 'warning' ? log.warn : level === 'debug' ? log.debug : log.info;
    fn.call(log, { scope: { label: scope.label, taskIdentifier: scope.taskIdentifier, jobId: scope.jobId } }, message);
  });
  return run({
    pgPool: pool,
    concurrency: opts.concurrency,
    pollInterval: opts.pollInterval ?? 1000,
    noHandleSignals: true,
    logger,
    taskList: taskList(deps),
    crontab: '',
  });
}
