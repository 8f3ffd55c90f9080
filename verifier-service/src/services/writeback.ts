// Write-back to the ticket (F5) through the outbox (R1): `recordTicketEvent` runs inside the transaction of the
// state change; the `writeback` job applies it with retries that honour Retry-After (R2) and never add a work
// note twice (R3).
import { sql, type Transaction } from 'kysely';
import type { Deps } from '../context';
import type { Database, VerificationRow } from '../db/schema';
import { ticketFieldsFor, workNoteFor, type WritebackKind } from '../domain/ticket-fields';
import { addJob } from '../lib/jobs';
import { appendAuditEvent } from '../repositories/audit';
import { findVerificationById } from '../repositories/verifications';
import {
  findWritebackEvent,
  insertWritebackEvent,
  markWritebackDelivered,
  recordWritebackFailure,
} from '../repositories/writeback';
import { applyTicketUpdate, UnconfirmedNoteError } from '../clients/servicenow/ticket-writer';
import { ServiceNowError } from '../clients/servicenow/client';
import type { VerificationState } from '@imper/shared';

export const WRITEBACK_MAX_ATTEMPTS = 12;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 10 * 60 * 1000;

export function detailsUrl(deps: Pick<Deps, 'config'>, publicId: string): string {
  return `${deps.config.publicBaseUrl}/console/verifications/${publicId}`;
}

export function ticketViewOf(deps: Pick<Deps, 'config'>, v: VerificationRow) {
  return {
    publicId: v.public_id,
    state: v.state as VerificationState,
    riskLevel: v.risk_level,
    attention: v.attention,
    detailsUrl: detailsUrl(deps, v.public_id),
    hasOutcome: v.outcome !== null,
  };
}

export async function recordTicketEvent(
  trx: Transaction<Database>,
  deps: Pick<Deps, 'config'>,
  v: VerificationRow,
  kind: WritebackKind,
  extra: { reason?: string } = {},
) {
  const note = workNoteFor(kind, {
    publicId: v.public_id,
    agentName: v.agent_name,
    channel: v.channel,
    destinationMasked: v.destination_masked,
    outcome: v.outcome,
    riskLevel: v.risk_level,
    recommendation: v.recommendation,
    reason: extra.reason ?? null,
  });
  const event = await insertWritebackEvent(trx, {
    tenant_id: v.tenant_id,
    verification_id: v.id,
    kind,
    fields: ticketFieldsFor(ticketViewOf(deps, v)),
    work_note: note,
  });
  await addJob(trx, 'writeback', { eventId: event.id }, { jobKey: `writeback:${event.id}`, maxAttempts: 3 });
  return event;
}

/** Marker that identifies one event's work note in the ticket's journal. */
export const noteMarker = (publicId: string, seq: number) => `[imper.ai ${publicId} #${seq}]`;

/** Full jitter backoff, never earlier than the server's Retry-After. */
export function nextDelayMs(attempt: number, retryAfterMs: number | undefined, random = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs ?? 0, Math.floor(random() * ceiling));
}

/** The database's clock plus `ms`, rounded up to the millisecond (a JS Date cannot hold microseconds). */
async function databaseTimeIn(trx: Transaction<Database>, ms: number): Promise<Date> {
  const { rows } = await sql<{
    at: Date;
  }>`select date_trunc('milliseconds', clock_timestamp()) + ${Math.ceil(ms) + 1} * interval '1 millisecond' as at`.execute(
    trx,
  );
  return rows[0]!.at;
}

/** The `writeback` task. Returns what it did, for tests and logs. */
export async function runWriteback(
  deps: Deps,
  eventId: string,
): Promise<'delivered' | 'already' | 'rescheduled' | 'dead'> {
  const event = await findWritebackEvent(deps.db, eventId);
  if (!event || event.status !== 'pending') return 'already';
  const v = await findVerificationById(deps.db, event.verification_id);
  const tenant = deps.tenants.byId(event.tenant_id);
  if (!v || !tenant) {
    await recordWritebackFailure(
      deps.db,
      event.id,
      event.attempts + 1,
      'verification or tenant no longer exists',
      null,
    );
    return 'dead';
  }
  try {
    const marker = noteMarker(v.public_id, event.seq);
    const { noteWritten } = await applyTicketUpdate(tenant.servicenow, {
      table: v.ticket_table,
      sysId: v.ticket_sys_id,
      // The current state wins: applying an older event after a newer one cannot roll the ticket back.
      fields: ticketFieldsFor(ticketViewOf(deps, v)),
      ...(event.work_note ? { workNote: { marker, text: `${event.work_note} ${marker}` } } : {}),
    });
    await deps.db.transaction().execute(async (trx) => {
      await markWritebackDelivered(trx, event.id, deps.clock.now());
      await appendAuditEvent(trx, {
        tenantId: v.tenant_id,
        verificationId: v.id,
        type: 'ticket.updated',
        actor: 'system',
        data: { kind: event.kind, seq: event.seq, noteWritten, attempts: event.attempts + 1 },
      });
    });
    return 'delivered';
  } catch (err) {
    const attempts = event.attempts + 1;
    const sn = err instanceof ServiceNowError ? err : null;
    const retriable = sn ? sn.retriable : true;
    const message = sn ? `${sn.kind}${sn.status ? ` ${sn.status}` : ''}: ${sn.message}` : 'unexpected error';
    if (!retriable || attempts >= WRITEBACK_MAX_ATTEMPTS) {
      await deps.db.transaction().execute(async (trx) => {
        await recordWritebackFailure(trx, event.id, attempts, message, null);
        await appendAuditEvent(trx, {
          tenantId: v.tenant_id,
          verificationId: v.id,
          type: 'ticket.update_dead',
          actor: 'system',
          data: { kind: event.kind, seq: event.seq, attempts, error: message },
        });
      });
      deps.log.error({ eventId, attempts, error: message }, 'ticket update dead-lettered');
      return 'dead';
    }
    // Counted from now, after the failure (the attempt itself may have taken seconds of the client's own
    // retries), on the database's clock, which is the one graphile-worker compares run_at with; never before
    // Retry-After (R2).
    const delayMs = Math.max(
      nextDelayMs(attempts, sn?.retryAfterMs),
      err instanceof UnconfirmedNoteError ? err.settleMs : 0,
    );
    const runAt = await deps.db.transaction().execute(async (trx) => {
      const at = await databaseTimeIn(trx, delayMs);
      await recordWritebackFailure(trx, event.id, attempts, message, at);
      // A new job under a fresh key: this run then completes normally, and the retry waits for runAt.
      await addJob(
        trx,
        'writeback',
        { eventId: event.id },
        { jobKey: `writeback:${event.id}:${attempts}`, runAt: at, maxAttempts: 3 },
      );
      return at;
    });
    deps.log.warn(
      { eventId, attempts, retryAt: runAt.toISOString(), error: message },
      'ticket update will be retried',
    );
    return 'rescheduled';
  }
}
