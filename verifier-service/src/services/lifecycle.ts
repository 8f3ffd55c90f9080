// The one owner of a verification's lifecycle: `applyEvent` moves a verification by an event of the transition
// table (`domain/verification.ts`) and performs exactly the side effects the table declares for it, inside the
// caller's transaction. Services call this; they never name the states an event may leave from.
import type { Transaction } from 'kysely';
import type { Deps } from '../context';
import type { Database } from '../db/schema';
import {
  eventSpec,
  stepAfter,
  type AuditActor,
  type Verification,
  type VerificationChanges,
  type VerificationEvent,
} from '../domain/verification';
import { appendAuditEvents } from '../repositories/audit';
import { revokeLinks, transitionVerification } from '../repositories/verifications';
import { recordTicketEvent } from './writeback';
import { queueWebhook } from './api-webhook';

export interface AuditEntry {
  tenantId: string | null;
  verificationId: string | null;
  type: string;
  actor: string;
  data: Record<string, unknown>;
}

export interface ApplyOptions {
  /** What the event changes besides the state. */
  set?: VerificationChanges;
  /** The audit event's data. */
  audit?: Record<string, unknown>;
  /** Who acted, for events whose declared actor is the agent: their ServiceNow user name. */
  agent?: string;
  /** Extra data for the ticket event's work note. */
  ticket?: { reason?: string };
  /**
   * Collects the declared audit event instead of appending it, for a caller that applies several events in one
   * transaction and appends them together at its end (the chain's lock is then held once, briefly).
   */
  auditInto?: AuditEntry[];
  now?: Date;
}

function actorOf(actor: AuditActor, event: VerificationEvent, agent: string | undefined): string {
  if (actor !== 'agent') return actor;
  if (!agent) throw new Error(`event ${event} needs the agent who acted`);
  return `agent:${agent}`;
}

/**
 * Applies `event` to `verification` within `trx`: the conditional UPDATE on the states the table allows, then the
 * declared effects in order — revoke the unused links, record the ticket event (outbox, R1), queue the API key's
 * webhook (F7, outbox too), and append the audit event last (S21). Returns the moved verification, or null when
 * its state does not allow the event (another request got there first); nothing else happens then.
 */
export async function applyEvent(
  trx: Transaction<Database>,
  deps: Pick<Deps, 'config' | 'clock'>,
  verification: Pick<Verification, 'id'>,
  event: VerificationEvent,
  opts: ApplyOptions = {},
): Promise<Verification | null> {
  const spec = eventSpec(event);
  const now = opts.now ?? deps.clock.now();
  const actor = spec.audit ? actorOf(spec.audit.actor, event, opts.agent) : null;
  const step = stepAfter(event, spec.to === 'same' ? spec.from[0]! : spec.to);
  const set = step === undefined || opts.set?.step !== undefined ? opts.set : { ...opts.set, step };
  const moved = await transitionVerification(
    trx,
    verification.id,
    spec.from,
    spec.to,
    set,
    now,
    spec.fromSteps,
  );
  if (!moved) return null;
  if (spec.revokeLinks) await revokeLinks(trx, moved.id, now);
  if (spec.ticket) {
    const kind = typeof spec.ticket === 'function' ? spec.ticket(moved) : spec.ticket;
    await recordTicketEvent(trx, deps, moved, kind, opts.ticket);
  }
  if (spec.webhook && moved.apiKeyId) await queueWebhook(trx, moved, spec.webhook, now);
  if (spec.audit && actor) {
    const entry: AuditEntry = {
      tenantId: moved.tenantId,
      verificationId: moved.id,
      type: spec.audit.type,
      actor,
      data: opts.audit ?? {},
    };
    if (opts.auditInto) opts.auditInto.push(entry);
    else await appendAuditEvents(trx, [entry]);
  }
  return moved;
}
