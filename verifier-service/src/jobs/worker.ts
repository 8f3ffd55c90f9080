// Background work on graphile-worker, in the same PostgreSQL. Tasks are thin: they parse the payload and call
// the services. Every runner also writes heartbeats for its workers and unlocks the jobs of crashed ones
// (recovery.ts, R4); stopping it finishes running jobs, releases the rest and then removes its heartbeats (R6).
import { EventEmitter } from 'node:events';
import { run, Logger, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import type pg from 'pg';
import type { Deps } from '../context';
import { runDeliver, runExpire } from '../services/delivery';
import { runWriteback, runWritebackProbe } from '../services/writeback';
import { runAttest } from '../services/step-up';
import { runNotifyAction } from '../services/action-report';
import { runCloseTicket } from '../services/ticket-close';
import { parseNotifyWebhookPayload, runNotifyWebhook } from '../services/api-webhook';
import { parseSelfServiceJob, runSelfServiceStart } from '../services/self-service';
import { startRecovery, type RecoveryOptions } from './recovery';

const id = (payload: unknown, key: string): string => {
  const value = (payload as Record<string, unknown> | null)?.[key];
  if (typeof value !== 'string') throw new Error(`job payload has no ${key}`);
  return value;
};

export function taskList(deps: Deps): TaskList {
  return {
    deliver: async (payload, helpers) => {
      await runDeliver(deps, id(payload, 'deliveryId'), {
        number: helpers.job.attempts,
        max: helpers.job.max_attempts,
      });
    },
    writeback: async (payload) => {
      await runWriteback(deps, id(payload, 'eventId'));
    },
    // While a tenant's instance is marked down: one cheap request every 30 s; re-drives its events once it answers.
    writeback_probe: async (payload) => {
      await runWritebackProbe(deps, id(payload, 'tenantId'));
    },
    expire: async (payload) => {
      await runExpire(deps, id(payload, 'verificationId'));
    },
    // S11: after a reset or unlock, every contact on file is told, with a "This wasn't me" link.
    notify_action: async (payload) => {
      await runNotifyAction(deps, id(payload, 'verificationId'));
    },
    // Issue 10 §3: resolve and close the ticket when the action completed and the policy says auto_close.
    close_ticket: async (payload) => {
      await runCloseTicket(deps, id(payload, 'verificationId'));
    },
    // F7: the signed webhook of the API key that started a verification (final state, action done or failed).
    notify_webhook: async (payload, helpers) => {
      await runNotifyWebhook(deps, parseNotifyWebhookPayload(payload), {
        number: helpers.job.attempts,
        max: helpers.job.max_attempts,
      });
    },
    // F7: a self-service request, queued by POST /self-service without any ServiceNow call (S8); looks the account
    // up and starts the verification if there is one. ServiceNow errors throw and are retried (5 attempts).
    self_service_start: async (payload) => {
      await runSelfServiceStart(deps, parseSelfServiceJob(payload));
    },
    // The step-up: the requester's manager is asked to attest at their email on file.
    attest: async (payload) => {
      const reasons = (payload as { reasons?: unknown } | null)?.reasons;
      await runAttest(
        deps,
        id(payload, 'verificationId'),
        Array.isArray(reasons) ? reasons.filter((r): r is string => typeof r === 'string') : [],
      );
    },
  };
}

export interface WorkerOptions {
  concurrency: number;
  pollInterval?: number;
  /** The embedded database shares one session among its connections, so named prepared statements collide. */
  noPreparedStatements?: boolean;
  recovery?: RecoveryOptions;
}

export async function startWorker(deps: Deps, pool: pg.Pool, opts: WorkerOptions): Promise<Runner> {
  const log = deps.log.child({ component: 'worker' });
  const logger = new Logger((scope) => (level, message) => {
    const fn =
      level === 'error'
        ? log.error
        : level === 'warning'
          ? log.warn
          : level === 'debug'
            ? log.debug
            : log.info;
    fn.call(
      log,
      { scope: { label: scope.label, taskIdentifier: scope.taskIdentifier, jobId: scope.jobId } },
      message,
    );
  });
  const recovery = startRecovery(pool, log, opts.recovery);
  // Passed to run() so that no creation is missed (the pool starts before run() resolves). graphile-worker 0.17
  // locks jobs with the pool's id (`locked_by = pool-…`); the ids of its workers are tracked too, for older
  // locking schemes and job queues.
  const events = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => recovery.track(workerPool.id));
  events.on('worker:create', ({ worker }) => recovery.track(worker.workerId));
  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      concurrency: opts.concurrency,
      pollInterval: opts.pollInterval ?? 1000,
      noHandleSignals: true,
      noPreparedStatements: opts.noPreparedStatements ?? false,
      logger,
      events,
      taskList: taskList(deps),
      crontab: '',
    });
  } catch (err) {
    await recovery.stop();
    throw err;
  }
  // Heartbeats go on while running jobs finish: a slow but live job must not be taken over.
  let stopping: Promise<void> | undefined;
  const stop = (reason?: string): Promise<void> =>
    (stopping ??= runner.stop(reason).finally(() => recovery.stop()));
  const kill = (reason?: string): Promise<void> => runner.kill(reason).finally(() => recovery.stop());
  return { ...runner, stop, kill };
}
