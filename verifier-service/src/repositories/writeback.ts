// The write-back outbox: one row per ticket update, created in the same transaction as the state change that
// causes it, with its graphile-worker job (R1).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertWritebackEvent(
  trx: Transaction<Database>,
  row: {
    tenant_id: string;
    verification_id: string;
    kind: string;
    fields: Record<string, string>;
    work_note: string | null;
  },
) {
  // Per-verification sequence; the unique (verification_id, seq) constraint settles any race.
  const { next } = await trx
    .selectFrom('writeback_events')
    .select(sql<number>`coalesce(max(seq), 0) + 1`.as('next'))
    .where('verification_id', '=', row.verification_id)
    .executeTakeFirstOrThrow();
  return trx
    .insertInto('writeback_events')
    .values({ ...row, seq: Number(next), fields: JSON.stringify(row.fields) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findWritebackEvent(db: Q, id: string) {
  return db.selectFrom('writeback_events').selectAll().where('id', '=', id).executeTakeFirst();
}

export function markWritebackDelivered(db: Q, id: string, now: Date) {
  return db
    .updateTable('writeback_events')
    .set({ status: 'delivered', delivered_at: now, last_error: null, next_attempt_at: null })
    .where('id', '=', id)
    .execute();
}

export function recordWritebackFailure(
  db: Q,
  id: string,
  attempts: number,
  error: string,
  nextAttemptAt: Date | null,
) {
  return db
    .updateTable('writeback_events')
    .set({
      attempts,
      last_error: error.slice(0, 500),
      next_attempt_at: nextAttemptAt,
      status: nextAttemptAt ? 'pending' : 'dead',
    })
    .where('id', '=', id)
    .execute();
}
