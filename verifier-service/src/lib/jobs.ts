// Adding graphile-worker jobs inside our own transactions (R1): the job exists if and only if the state change
// that needs it committed.
import { sql, type Transaction, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export type TaskName =
  | 'deliver'
  | 'writeback'
  | 'writeback_probe'
  | 'expire'
  | 'attest'
  | 'notify_action'
  | 'close_ticket'
  | 'notify_webhook'
  | 'self_service_start';

export async function addJob(
  db: Transaction<Database> | Kysely<Database>,
  task: TaskName,
  payload: Record<string, unknown>,
  opts: {
    runAt?: Date;
    jobKey?: string;
    maxAttempts?: number;
    queue?: string;
    /** `preserve_run_at` keeps an existing waiting job's time (a probe already scheduled stays as it was). */
    jobKeyMode?: 'replace' | 'preserve_run_at';
  } = {},
): Promise<void> {
  await sql`select graphile_worker.add_job(
    identifier => ${task},
    payload => ${JSON.stringify(payload)}::json,
    queue_name => ${opts.queue ?? null},
    run_at => ${opts.runAt ?? null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? 25},
    job_key => ${opts.jobKey ?? null},
    job_key_mode => ${opts.jobKeyMode ?? 'replace'}
  )`.execute(db);
}

/** The key of an outbox event's job. Older jobs (and the recovery sweep's) carry a suffix: `writeback:<id>:…`. */
export const writebackJobKey = (eventId: string) => `writeback:${eventId}`;

/**
 * Makes the jobs of these outbox events run at `at` (now, for a re-drive): every waiting job of an event is
 * rescheduled, and an event with no job at all gets one. A job that is running is left alone (it is running);
 * no second job is added next to it, so one event never runs twice at once.
 */
export async function wakeWritebackJobs(
  db: Transaction<Database> | Kysely<Database>,
  eventIds: readonly string[],
  at: Date,
): Promise<void> {
  if (eventIds.length === 0) return;
  await sql`select graphile_worker.reschedule_jobs(
      array(select j.id from graphile_worker.jobs j, unnest(${eventIds}::uuid[]) e(id)
             where j.task_identifier = 'writeback' and j.locked_at is null and j.attempts < j.max_attempts
               and (j.key = 'writeback:' || e.id or j.key like 'writeback:' || e.id || ':%')),
      run_at => ${at}::timestamptz)`.execute(db);
  await sql`select graphile_worker.add_job('writeback', json_build_object('eventId', e.id),
        run_at => ${at}::timestamptz, max_attempts => 3, job_key => 'writeback:' || e.id, job_key_mode => 'replace')
      from unnest(${eventIds}::uuid[]) e(id)
     where not exists (
       select 1 from graphile_worker.jobs j
        where j.task_identifier = 'writeback' and j.attempts < j.max_attempts
          and (j.key = 'writeback:' || e.id or j.key like 'writeback:' || e.id || ':%'))`.execute(db);
}

/** Removes a waiting job by key (a running one finishes and is not retried). */
export async function removeJob(db: Transaction<Database> | Kysely<Database>, jobKey: string): Promise<void> {
  await sql`select graphile_worker.remove_job(${jobKey})`.execute(db);
}
