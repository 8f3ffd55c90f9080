// The write-back outbox: one row per ticket update, created in the same transaction as the state change that
// causes it, with its graphile-worker job (R1).
import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertWritebackEvent(
  trx: Transaction<Database>,
  row: {
    tenant_id: string;
    verification_id: string;
    ticket_table: string;
    ticket_sys_id: string;
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

type TicketOf = { tenant_id: string; ticket_table: string; ticket_sys_id: string };

/**
 * Serialises the order decisions of one ticket's events (who may go, who waits, who is woken) until the end of
 * the transaction, across every worker and replica.
 */
export async function lockTicket(trx: Transaction<Database>, e: TicketOf): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`writeback:${e.tenant_id}:${e.ticket_table}:${e.ticket_sys_id}`}, 0))`.execute(
    trx,
  );
}

/** The earliest pending event of the same ticket created before this one, if any: it must apply first. */
export function earlierPendingOnTicket(db: Q, e: TicketOf & { ordinal: string }) {
  return db
    .selectFrom('writeback_events')
    .select(['id', 'seq', 'next_attempt_at'])
    .where('tenant_id', '=', e.tenant_id)
    .where('ticket_table', '=', e.ticket_table)
    .where('ticket_sys_id', '=', e.ticket_sys_id)
    .where('status', '=', 'pending')
    .where('ordinal', '<', e.ordinal)
    .orderBy('ordinal')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Whether a later event of the same ticket, from another verification, has already been delivered (this one was
 * re-driven after it): its columns describe a newer verification and must stay.
 */
export async function newerVerificationDelivered(
  db: Q,
  e: TicketOf & { ordinal: string; verification_id: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('writeback_events')
    .select('id')
    .where('tenant_id', '=', e.tenant_id)
    .where('ticket_table', '=', e.ticket_table)
    .where('ticket_sys_id', '=', e.ticket_sys_id)
    .where('status', '=', 'delivered')
    .where('ordinal', '>', e.ordinal)
    .where('verification_id', '<>', e.verification_id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The next pending event of the same ticket, the one to wake once this one is settled. */
export function nextPendingOnTicket(db: Q, e: TicketOf & { ordinal: string }) {
  return db
    .selectFrom('writeback_events')
    .select(['id'])
    .where('tenant_id', '=', e.tenant_id)
    .where('ticket_table', '=', e.ticket_table)
    .where('ticket_sys_id', '=', e.ticket_sys_id)
    .where('status', '=', 'pending')
    .where('ordinal', '>', e.ordinal)
    .orderBy('ordinal')
    .limit(1)
    .executeTakeFirst();
}

/** Every pending event of a tenant, oldest first (a re-drive wakes them all). */
export async function pendingEventIdsOfTenant(db: Q, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('writeback_events')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'pending')
    .orderBy('ordinal')
    .execute();
  return rows.map((r) => r.id);
}

export function setNextAttempt(db: Q, ids: readonly string[], at: Date) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .updateTable('writeback_events')
    .set({ next_attempt_at: at })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}

export interface DeadLetterFilter {
  tenantSlug?: string;
  /** The console's: only this tenant's events (S18), whatever ids are also given. */
  tenantId?: string;
  ids?: readonly string[];
}

/** Dead-lettered events with their tenant and ticket, oldest first. */
export function listDeadWritebackEvents(db: Q, filter: DeadLetterFilter = {}) {
  let q = db
    .selectFrom('writeback_events as e')
    .innerJoin('tenants as t', 't.id', 'e.tenant_id')
    .innerJoin('verifications as v', 'v.id', 'e.verification_id')
    .select([
      'e.id',
      't.slug as tenant_slug',
      'v.public_id',
      'v.ticket_number',
      'e.seq',
      'e.kind',
      'e.attempts',
      'e.last_error',
      'e.created_at',
      'e.dead_at',
    ])
    .where('e.status', '=', 'dead');
  if (filter.tenantSlug !== undefined) q = q.where('t.slug', '=', filter.tenantSlug);
  if (filter.tenantId !== undefined) q = q.where('e.tenant_id', '=', filter.tenantId);
  if (filter.ids !== undefined) q = q.where('e.id', 'in', filter.ids.length ? filter.ids : ['']);
  return q.orderBy('e.ordinal').execute();
}

/** Makes dead-lettered events pending again, their retries starting afresh from `now`. */
export async function reopenDeadWritebackEvents(db: Q, ids: readonly string[], now: Date) {
  if (ids.length === 0) return [];
  return db
    .updateTable('writeback_events')
    .set({ status: 'pending', attempts: 0, redriven_at: now, next_attempt_at: now, dead_at: null })
    .where('id', 'in', ids)
    .where('status', '=', 'dead')
    .returning(['id'])
    .execute();
}

export function markWritebackDelivered(db: Q, id: string, now: Date) {
  return db
    .updateTable('writeback_events')
    .set({ status: 'delivered', delivered_at: now, last_error: null, next_attempt_at: null })
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: retried at `nextAttemptAt`, or (null) dead-lettered as of `now`. */
export function recordWritebackFailure(
  db: Q,
  id: string,
  attempts: number,
  error: string,
  nextAttemptAt: Date | null,
  now: Date,
) {
  return db
    .updateTable('writeback_events')
    .set({
      attempts,
      last_error: error.slice(0, 500),
      next_attempt_at: nextAttemptAt,
      status: nextAttemptAt ? 'pending' : 'dead',
      dead_at: nextAttemptAt ? null : now,
    })
    .where('id', '=', id)
    .execute();
}

// ── The console's list (F8 §6): one tenant's dead letters, newest first, keyset-paged ───────────────────────

/** Where a page ends: dead_at as `YYYY-MM-DDTHH:MM:SS.ffffff` (UTC, all of PostgreSQL's precision) and the id. */
export interface DeadLetterKeyset {
  deadAt: string;
  id: string;
}

export interface DeadLetterRow {
  id: string;
  verificationId: string;
  publicId: string;
  ticketNumber: string;
  kind: string;
  seq: number;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deadAt: Date;
}

const DEAD_KEY = sql<string>`to_char(e.dead_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/**
 * A tenant's dead-lettered events, newest dead first, from the partial index (tenant_id, dead_at desc, id desc)
 * where status = 'dead'. Returns one page and the key of its last row when more follow.
 */
export async function listTenantDeadLetters(
  db: Q,
  tenantId: string,
  page: { before?: DeadLetterKeyset; limit: number },
): Promise<{ rows: DeadLetterRow[]; next: DeadLetterKeyset | null }> {
  let q = db
    .selectFrom('writeback_events as e')
    .innerJoin('verifications as v', 'v.id', 'e.verification_id')
    .select([
      'e.id',
      'e.verification_id',
      'v.public_id',
      'v.ticket_number',
      'e.kind',
      'e.seq',
      'e.attempts',
      'e.last_error',
      'e.created_at',
      'e.dead_at',
      DEAD_KEY.as('dead_key'),
    ])
    .where('e.tenant_id', '=', tenantId)
    .where('e.status', '=', 'dead');
  if (page.before) {
    const b = page.before;
    q = q.where(
      sql<SqlBool>`(e.dead_at, e.id) < ((${b.deadAt}::timestamp at time zone 'UTC'), ${b.id}::uuid)`,
    );
  }
  const rows = await q
    .orderBy('e.dead_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    rows: shown.map((r) => ({
      id: r.id,
      verificationId: r.verification_id,
      publicId: r.public_id,
      ticketNumber: r.ticket_number,
      kind: r.kind,
      seq: r.seq,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      deadAt: r.dead_at ?? r.created_at,
    })),
    next: rows.length > page.limit && last ? { deadAt: last.dead_key, id: last.id } : null,
  };
}

/** How many dead letters the tenant has (the page's heading; the partial index keeps it cheap). */
export async function countTenantDeadLetters(db: Q, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('writeback_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'dead')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
