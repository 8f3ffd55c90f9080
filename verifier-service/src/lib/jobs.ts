// Adding graphile-worker jobs inside our own transactions (R1): the job exists if and only if the state change
// that needs it committed.
import { sql, type Transaction, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export type TaskName = 'deliver' | 'writeback' | 'expire';

export async function addJob(
  db: Transaction<Database> | Kysely<Database>,
  task: TaskName,
  payload: Record<string, unknown>,
  opts: { runAt?: Date; jobKey?: string; maxAttempts?: number; queue?: string } = {},
): Promise<void> {
  await sql`select graphile_worker.add_job(
    identifier => ${task},
    payload => ${JSON.stringify(payload)}::json,
    queue_name => ${opts.queue ?? null},
    run_at => ${opts.runAt ?? null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? 25},
    job_key => ${opts.jobKey ?? null},
    job_key_mode => 'replace'
  )`.execute(db);
}
