// Recovery of jobs held by a crashed worker (SECURITY.md R4).
//
// graphile-worker locks a job while it runs (`locked_by` = the worker's id) and only frees the locks of a worker
// that died without releasing them after 4 hours. Every process that runs workers therefore writes a heartbeat
// row per worker id; a sweeper (in every such process) unlocks, with graphile-worker's own
// `force_unlock_workers`, the jobs locked longer than `staleAfterMs` by a worker whose heartbeat is older than
// that or missing. The job then runs again at once on a live worker.
//
// A worker whose process is alive but cannot reach the database for longer than `staleAfterMs` may see its job
// taken over while it still runs. The tasks are written for that: the write-back re-checks its outbox row and
// the work-note marker before writing (R3).
import { hostname } from 'node:os';
import type pg from 'pg';

export interface RecoveryOptions {
  /** How often live workers are recorded; default 5 s. */
  heartbeatMs?: number;
  /** A worker not seen for this long is presumed dead; default 30 s. Must exceed a few heartbeats. */
  staleAfterMs?: number;
  /** How often stale locks are looked for; default `heartbeatMs`. */
  sweepMs?: number;
}

export interface Recovery {
  /** Records a worker id as live from now on. */
  track(workerId: string): void;
  /** Writes heartbeats and sweeps once, now (also what the timers do). */
  tick(): Promise<{ unlocked: string[] }>;
  /** Stops the timers and removes this process's heartbeats (its workers have released their jobs). */
  stop(): Promise<void>;
}

interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export function resolveRecoveryOptions(o: RecoveryOptions = {}): Required<RecoveryOptions> {
  const heartbeatMs = o.heartbeatMs ?? 5_000;
  const staleAfterMs = o.staleAfterMs ?? 30_000;
  const sweepMs = o.sweepMs ?? heartbeatMs;
  if (!(heartbeatMs > 0) || !(sweepMs > 0)) throw new TypeError('heartbeatMs and sweepMs must be positive');
  if (!(staleAfterMs >= 3 * heartbeatMs))
    throw new TypeError('staleAfterMs must be at least three heartbeats');
  return { heartbeatMs, staleAfterMs, sweepMs };
}

export function startRecovery(pool: pg.Pool, log: Log, options: RecoveryOptions = {}): Recovery {
  const { heartbeatMs, staleAfterMs, sweepMs } = resolveRecoveryOptions(options);
  const ids = new Set<string>();
  const host = hostname().slice(0, 200);
  let stopped = false;

  async function heartbeat(): Promise<void> {
    if (ids.size === 0) return;
    await pool.query(
      `insert into worker_heartbeats (worker_id, host, pid)
       select unnest($1::text[]), $2, $3
       on conflict (worker_id) do update set last_seen_at = now()`,
      [[...ids], host, process.pid],
    );
  }

  async function sweep(): Promise<string[]> {
    // Database time throughout: the processes' clocks need not agree.
    const { rows } = await pool.query<{ worker_id: string }>(
      `select distinct j.locked_by as worker_id
         from graphile_worker.jobs j
        where j.locked_by is not null
          and j.locked_at < now() - $1 * interval '1 millisecond'
          and not exists (
            select 1 from worker_heartbeats h
             where h.worker_id = j.locked_by and h.last_seen_at >= now() - $1 * interval '1 millisecond')`,
      [staleAfterMs],
    );
    const dead = rows.map((r) => r.worker_id).filter((id) => !ids.has(id));
    if (dead.length > 0) {
      await pool.query('select graphile_worker.force_unlock_workers($1::text[])', [dead]);
      log.warn({ workerIds: dead }, 'unlocked the jobs of workers that stopped sending heartbeats');
    }
    // An outbox event must never be stranded (R4): if its job ran out of attempts (say, on database errors) or
    // vanished, give it a new one. Events are re-checked idempotently by the job, so an extra job is harmless.
    const orphans = await pool.query(
      `select graphile_worker.add_job('writeback', json_build_object('eventId', e.id),
                max_attempts => 3, job_key => 'writeback:' || e.id || ':sweep', job_key_mode => 'replace')
         from writeback_events e
        where e.status = 'pending'
          and e.created_at < now() - interval '1 minute'
          and coalesce(e.next_attempt_at, e.created_at) < now() - interval '1 minute'
          and not exists (
            select 1 from graphile_worker.jobs j
             where j.task_identifier = 'writeback' and j.attempts < j.max_attempts
               -- every write-back job is keyed writeback:<event id>[:<retry>|:sweep] (services/writeback.ts)
               and (j.key = 'writeback:' || e.id or j.key like 'writeback:' || e.id || ':%'))
        limit 100`,
    );
    if (orphans.rowCount)
      log.warn({ events: orphans.rowCount }, 're-queued write-back events whose jobs had given up');
    // Likewise a tenant marked down must keep its probe (services/writeback.ts), or only the events' own timers
    // would notice the instance's return.
    const probes = await pool.query(
      `select graphile_worker.add_job('writeback_probe', json_build_object('tenantId', h.tenant_id),
                max_attempts => 5, job_key => 'writeback-probe:' || h.tenant_id, job_key_mode => 'replace')
         from servicenow_instance_health h
        where not exists (
            select 1 from graphile_worker.jobs j
             where j.key = 'writeback-probe:' || h.tenant_id and j.attempts < j.max_attempts)`,
    );
    if (probes.rowCount) log.warn({ tenants: probes.rowCount }, 're-queued lost instance probes');
    // Launch-token ids only need remembering until their token has expired (replay is refused by `exp` after
    // that); expired agent sessions are useless. Neither table may grow without bound.
    await pool.query(`delete from launch_jtis where expires_at < now() - interval '10 minutes'`);
    await pool.query(`delete from agent_sessions where expires_at < now()`);
    // Forget long-gone workers (their jobs, if any, were unlocked above on an earlier or this sweep).
    await pool.query(
      `delete from worker_heartbeats where last_seen_at < now() - $1 * interval '1 millisecond' * 10`,
      [staleAfterMs],
    );
    return dead;
  }

  const guard = (what: string, p: Promise<unknown>) =>
    p.catch((err: unknown) => {
      // The database may be restarting; the next tick tries again.
      if (!stopped)
        log.warn({ err: err instanceof Error ? err.message : String(err) }, `worker ${what} failed`);
    });

  const hbTimer = setInterval(() => void guard('heartbeat', heartbeat()), heartbeatMs);
  const sweepTimer = setInterval(() => void guard('sweep', sweep()), sweepMs);
  hbTimer.unref();
  sweepTimer.unref();

  return {
    track(workerId) {
      ids.add(workerId);
      void guard('heartbeat', heartbeat());
    },
    async tick() {
      await heartbeat();
      return { unlocked: await sweep() };
    },
    async stop() {
      stopped = true;
      clearInterval(hbTimer);
      clearInterval(sweepTimer);
      if (ids.size > 0) {
        await pool
          .query('delete from worker_heartbeats where worker_id = any($1::text[])', [[...ids]])
          .catch(() => {});
      }
    },
  };
}
