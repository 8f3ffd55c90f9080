// Write-back to the ticket (F5) through the outbox (R1): `recordTicketEvent` runs inside the transaction of the
// state change; the `writeback` job applies it with retries that honour Retry-After (R2) and never add a work
// note twice (R3).
import { sql, type Transaction } from 'kysely';
import type { Deps } from '../context';
import type { Database } from '../db/schema';
import type { Verification } from '../domain/verification';
import { ticketFieldsFor, workNoteFor, type WritebackKind } from '../domain/ticket-fields';
import { addJob, removeJob, wakeWritebackJobs, writebackJobKey } from '../lib/jobs';
import { appendAuditEvent } from '../repositories/audit';
import { findVerificationById } from '../repositories/verifications';
import {
  earlierPendingOnTicket,
  findWritebackEvent,
  insertWritebackEvent,
  listDeadWritebackEvents,
  lockTicket,
  markWritebackDelivered,
  newerVerificationDelivered,
  nextPendingOnTicket,
  pendingEventIdsOfTenant,
  recordWritebackFailure,
  reopenDeadWritebackEvents,
  setNextAttempt,
  type DeadLetterFilter,
} from '../repositories/writeback';
import {
  findInstanceHealth,
  markInstanceDown,
  markInstanceUp,
  recordFailedProbe,
} from '../repositories/instance-health';
import { applyTicketUpdate, UnconfirmedNoteError } from '../clients/servicenow/ticket-writer';
import { ServiceNowError } from '../clients/servicenow/client';
import { DEFAULT_MAX_DELAY_MS, meansInstanceDown, nextAttempt, retryPolicy } from '../domain/writeback-retry';
import { systemClock } from '../context';

const probeJobKey = (tenantId: string) => `writeback-probe:${tenantId}`;

/** How often a down instance is probed. */
export const PROBE_INTERVAL_MS = 30_000;
/** A blocked event (an earlier one of its ticket is pending) looks again after this, unless woken sooner. */
const BLOCKED_RECHECK_MS = DEFAULT_MAX_DELAY_MS;

export function detailsUrl(deps: Pick<Deps, 'config'>, publicId: string): string {
  return `${deps.config.publicBaseUrl}/console/verifications/${publicId}`;
}

export function ticketViewOf(deps: Pick<Deps, 'config'>, v: Verification) {
  return {
    publicId: v.publicId,
    state: v.state,
    riskLevel: v.riskLevel,
    attention: v.attention,
    detailsUrl: detailsUrl(deps, v.publicId),
    hasOutcome: v.outcome !== null,
    action: v.action,
    actionStatus: v.actionStatus,
  };
}

export async function recordTicketEvent(
  trx: Transaction<Database>,
  deps: Pick<Deps, 'config'>,
  v: Verification,
  kind: WritebackKind,
  extra: { reason?: string } = {},
) {
  const note = workNoteFor(kind, {
    publicId: v.publicId,
    agentName: v.agentName,
    channel: v.channel,
    destinationMasked: v.destinationMasked,
    destinationOnFile: v.destinationOnFile,
    outcome: v.outcome,
    riskLevel: v.riskLevel,
    recommendation: v.recommendation,
    reason: extra.reason ?? null,
    action: v.action,
  });
  const event = await insertWritebackEvent(trx, {
    tenant_id: v.tenantId,
    verification_id: v.id,
    ticket_table: v.ticketTable,
    ticket_sys_id: v.ticketSysId,
    kind,
    fields: ticketFieldsFor(ticketViewOf(deps, v)),
    work_note: note,
  });
  await addJob(
    trx,
    'writeback',
    { eventId: event.id },
    { jobKey: writebackJobKey(event.id), maxAttempts: 3 },
  );
  return event;
}

/** Marker that identifies one event's work note in the ticket's journal. */
export const noteMarker = (publicId: string, seq: number) => `[imper.ai ${publicId} #${seq}]`;

/**
 * `ms` from now on the database's clock (the one graphile-worker compares `run_at` with, so the processes' clocks
 * need not agree), rounded up to the millisecond. An injected clock that a test has moved away from the wall
 * clock moves the result with it, so jobs can be run on simulated time.
 */
async function databaseTimeIn(
  trx: Transaction<Database>,
  deps: Pick<Deps, 'clock'>,
  ms: number,
): Promise<Date> {
  const shift = deps.clock === systemClock ? 0 : deps.clock.now().getTime() - Date.now();
  const { rows } = await sql<{
    at: Date;
  }>`select date_trunc('milliseconds', clock_timestamp()) + ${Math.ceil(ms + shift) + 1} * interval '1 millisecond' as at`.execute(
    trx,
  );
  return rows[0]!.at;
}

type EventRow = NonNullable<Awaited<ReturnType<typeof findWritebackEvent>>>;

/** Once an event is settled (delivered or dead), the next pending one of its ticket may go, now. */
async function wakeNextOnTicket(trx: Transaction<Database>, deps: Pick<Deps, 'clock'>, event: EventRow) {
  const next = await nextPendingOnTicket(trx, event);
  if (!next) return;
  const at = await databaseTimeIn(trx, deps, 0);
  await setNextAttempt(trx, [next.id], at);
  await wakeWritebackJobs(trx, [next.id], at);
}

/**
 * Re-drives every pending write-back of a tenant at `delayMs` from now (0: at once): their jobs are
 * rescheduled, whatever their own backoff said. Per-ticket order still holds: each event waits for the earlier
 * ones of its ticket, which wake it when they are settled. Returns how many events were woken.
 */
export async function redrivePendingWritebacks(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  delayMs = 0,
) {
  return deps.db.transaction().execute(async (trx) => {
    const ids = await pendingEventIdsOfTenant(trx, tenantId);
    const at = await databaseTimeIn(trx, deps, delayMs);
    await setNextAttempt(trx, ids, at);
    await wakeWritebackJobs(trx, ids, at);
    return ids.length;
  });
}

/** The `writeback` task. Returns what it did, for tests and logs. */
export async function runWriteback(
  deps: Deps,
  eventId: string,
): Promise<'delivered' | 'already' | 'blocked' | 'rescheduled' | 'dead'> {
  const event = await findWritebackEvent(deps.db, eventId);
  if (!event || event.status !== 'pending') return 'already';
  const v = await findVerificationById(deps.db, event.verification_id);
  const tenant = deps.tenants.byId(event.tenant_id);
  if (!v || !tenant) {
    await deps.db.transaction().execute(async (trx) => {
      await lockTicket(trx, event);
      await recordWritebackFailure(
        trx,
        event.id,
        event.attempts + 1,
        'verification or tenant no longer exists',
        null,
        deps.clock.now(),
      );
      await wakeNextOnTicket(trx, deps, event);
    });
    deps.log.warn({ eventId, reason: 'gone' }, 'ticket update dead-lettered');
    return 'dead';
  }

  // Per-ticket order: an earlier event of the same ticket still pending goes first. This one waits; the earlier
  // one wakes it when it is settled (under the same lock, so the wake-up cannot be missed).
  const blocker = await deps.db.transaction().execute(async (trx) => {
    await lockTicket(trx, event);
    const earlier = await earlierPendingOnTicket(trx, event);
    if (!earlier) return null;
    const at = await databaseTimeIn(trx, deps, BLOCKED_RECHECK_MS);
    await setNextAttempt(trx, [event.id], at);
    await addJob(
      trx,
      'writeback',
      { eventId: event.id },
      { jobKey: writebackJobKey(event.id), runAt: at, maxAttempts: 3 },
    );
    return earlier;
  });
  if (blocker) {
    deps.log.debug({ eventId, waitsFor: blocker.id }, 'ticket update waits for an earlier one of its ticket');
    return 'blocked';
  }

  // A re-driven event applied after a newer verification's: its note still goes, its columns would roll back.
  const superseded = await newerVerificationDelivered(deps.db, event);
  try {
    const marker = noteMarker(v.publicId, event.seq);
    const { noteWritten } = await applyTicketUpdate(tenant.servicenow, {
      table: v.ticketTable,
      sysId: v.ticketSysId,
      // The current state wins: applying an older event after a newer one cannot roll the ticket back.
      fields: superseded ? {} : ticketFieldsFor(ticketViewOf(deps, v)),
      ...(event.work_note ? { workNote: { marker, text: `${event.work_note} ${marker}` } } : {}),
    });
    const wasDown = await deps.db.transaction().execute(async (trx) => {
      await lockTicket(trx, event);
      await markWritebackDelivered(trx, event.id, deps.clock.now());
      await appendAuditEvent(trx, {
        tenantId: v.tenantId,
        verificationId: v.id,
        type: 'ticket.updated',
        actor: 'system',
        data: { kind: event.kind, seq: event.seq, noteWritten, attempts: event.attempts + 1 },
      });
      await wakeNextOnTicket(trx, deps, event);
      // The ticket now shows the action completed: when the category policy says auto_close, resolve and close it
      // through the scoped app's close route (services/ticket-close.ts), which checks exactly that.
      if (event.kind === 'action_completed' && v.autoClose) {
        await addJob(
          trx,
          'close_ticket',
          { verificationId: v.id },
          { jobKey: `close_ticket:${v.id}`, maxAttempts: 10 },
        );
      }
      const health = await markInstanceUp(trx, tenant.id);
      if (health) await removeJob(trx, probeJobKey(tenant.id));
      return health;
    });
    // The instance answers again before its probe noticed: the others need not wait for their timers either.
    if (wasDown) await instanceBack(deps, tenant.id, 0, 'write-back');
    return 'delivered';
  } catch (err) {
    const attempts = event.attempts + 1;
    const sn = err instanceof ServiceNowError ? err : null;
    const retriable = sn ? sn.retriable : true;
    const message = sn ? `${sn.kind}${sn.status ? ` ${sn.status}` : ''}: ${sn.message}` : 'unexpected error';
    const now = deps.clock.now();
    const decision = nextAttempt(retryPolicy(deps.config.writebackRetryHorizonHours), {
      attempts,
      retriable,
      ...(sn?.retryAfterMs !== undefined ? { retryAfterMs: sn.retryAfterMs } : {}),
      // Counted from now, after the failure (the attempt itself may have taken seconds of the client's own
      // retries). After an unanswered write, a note may still land: give it time before looking again (R3).
      ...(err instanceof UnconfirmedNoteError ? { minDelayMs: err.settleMs } : {}),
      since: event.redriven_at ?? event.created_at,
      now,
    });
    if (decision.action === 'dead') {
      await deps.db.transaction().execute(async (trx) => {
        await lockTicket(trx, event);
        await recordWritebackFailure(trx, event.id, attempts, message, null, now);
        await appendAuditEvent(trx, {
          tenantId: v.tenantId,
          verificationId: v.id,
          type: 'ticket.update_dead',
          actor: 'system',
          data: { kind: event.kind, seq: event.seq, attempts, error: message, reason: decision.reason },
        });
        // A dead event no longer holds up its ticket.
        await wakeNextOnTicket(trx, deps, event);
      });
      deps.log.warn(
        { eventId, attempts, reason: decision.reason, error: message },
        'ticket update dead-lettered (re-drive: npm run writeback:redrive -w verifier-service)',
      );
      return 'dead';
    }
    const down = sn !== null && meansInstanceDown(sn);
    const { runAt, newlyDown } = await deps.db.transaction().execute(async (trx) => {
      // On the database's clock, which is the one graphile-worker compares run_at with; never before
      // Retry-After (R2).
      const at = await databaseTimeIn(trx, deps, decision.delayMs);
      await recordWritebackFailure(trx, event.id, attempts, message, at, now);
      // Same key: this run's own (locked) job gives the key up and completes normally; the retry waits for at.
      await addJob(
        trx,
        'writeback',
        { eventId: event.id },
        { jobKey: writebackJobKey(event.id), runAt: at, maxAttempts: 3 },
      );
      let marked = false;
      if (down) {
        marked = await markInstanceDown(trx, tenant.id, now, message);
        // One probe per tenant; one already waiting keeps its time.
        await addJob(
          trx,
          'writeback_probe',
          { tenantId: tenant.id },
          {
            jobKey: probeJobKey(tenant.id),
            jobKeyMode: 'preserve_run_at',
            runAt: await databaseTimeIn(trx, deps, PROBE_INTERVAL_MS),
            maxAttempts: 5,
          },
        );
      }
      return { runAt: at, newlyDown: marked };
    });
    if (newlyDown)
      deps.log.warn(
        { tenant: tenant.slug, error: message },
        'ServiceNow instance unavailable; probing it until it answers',
      );
    deps.log.warn(
      { eventId, attempts, retryAt: runAt.toISOString(), error: message },
      'ticket update will be retried',
    );
    return 'rescheduled';
  }
}

async function instanceBack(deps: Deps, tenantId: string, delayMs: number, by: 'probe' | 'write-back') {
  const events = await redrivePendingWritebacks(deps, tenantId, delayMs);
  deps.log.info(
    { tenant: deps.tenants.byId(tenantId)?.slug, events, by, delayMs },
    'ServiceNow instance answers again; pending ticket updates re-driven',
  );
}

/**
 * The `writeback_probe` task: while a tenant's instance is marked down, one cheap request every
 * PROBE_INTERVAL_MS. Any answer that is not "unavailable" (even a refusal or a 429) means the instance is back:
 * the mark is cleared and every pending event of the tenant is re-driven at once (after Retry-After, if given).
 */
export async function runWritebackProbe(deps: Deps, tenantId: string): Promise<'up' | 'down' | 'not-down'> {
  const health = await findInstanceHealth(deps.db, tenantId);
  const tenant = deps.tenants.byId(tenantId);
  if (!health) return 'not-down';
  if (!tenant) {
    await markInstanceUp(deps.db, tenantId);
    return 'not-down';
  }
  let retryAfterMs = 0;
  try {
    await tenant.servicenow.query('incident', { fields: ['sys_id'], limit: 1 });
  } catch (err) {
    const sn = err instanceof ServiceNowError ? err : null;
    if (!sn || meansInstanceDown(sn)) {
      const message = sn
        ? `${sn.kind}${sn.status ? ` ${sn.status}` : ''}: ${sn.message}`
        : 'unexpected error';
      await deps.db.transaction().execute(async (trx) => {
        await recordFailedProbe(trx, tenantId, deps.clock.now(), message);
        await addJob(
          trx,
          'writeback_probe',
          { tenantId },
          {
            jobKey: probeJobKey(tenantId),
            runAt: await databaseTimeIn(trx, deps, PROBE_INTERVAL_MS),
            maxAttempts: 5,
          },
        );
      });
      deps.log.info({ tenant: tenant.slug, error: message }, 'ServiceNow instance still unavailable');
      return 'down';
    }
    retryAfterMs = sn.retryAfterMs ?? 0;
  }
  const cleared = await markInstanceUp(deps.db, tenantId);
  if (cleared) await instanceBack(deps, tenantId, retryAfterMs, 'probe');
  return 'up';
}

export type DeadLetter = Awaited<ReturnType<typeof listDeadWritebackEvents>>[number];

/** Dead-lettered write-backs, oldest first; by tenant (slug or id) and/or event ids. For the command. */
export function listDeadWritebacks(deps: Pick<Deps, 'db'>, filter: DeadLetterFilter = {}) {
  return listDeadWritebackEvents(deps.db, filter);
}

/**
 * Re-drives dead-lettered write-backs (all, by tenant slug or id, or by ids): each becomes pending again with a
 * fresh retry horizon and a job due now, in the same transaction, and is audited (`ticket.update_redriven`, one per
 * event, naming `actor`: the command's `system`, or the console user who pressed Retry). Per-ticket order and the
 * idempotent work note (R3) hold as for any event. Returns the ids re-driven.
 */
export async function redriveDeadWritebacks(
  deps: Pick<Deps, 'db' | 'clock'>,
  filter: DeadLetterFilter = {},
  opts: { actor?: string } = {},
): Promise<string[]> {
  const dead = await listDeadWritebackEvents(deps.db, filter);
  if (dead.length === 0) return [];
  return deps.db.transaction().execute(async (trx) => {
    const reopened = await reopenDeadWritebackEvents(
      trx,
      dead.map((d) => d.id),
      deps.clock.now(),
    );
    const ids = reopened.map((r) => r.id);
    if (ids.length === 0) return ids; // another re-drive took them first
    const at = await databaseTimeIn(trx, deps, 0);
    await setNextAttempt(trx, ids, at);
    await wakeWritebackJobs(trx, ids, at);
    const rows = await trx
      .selectFrom('writeback_events')
      .select(['id', 'tenant_id', 'verification_id', 'kind', 'seq'])
      .where('id', 'in', ids)
      .execute();
    for (const r of rows) {
      await appendAuditEvent(trx, {
        tenantId: r.tenant_id,
        verificationId: r.verification_id,
        type: 'ticket.update_redriven',
        actor: opts.actor ?? 'system',
        data: { kind: r.kind, seq: r.seq, eventId: r.id },
      });
    }
    return ids;
  });
}
