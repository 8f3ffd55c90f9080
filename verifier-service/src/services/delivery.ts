// Delivery of verification links (F3) and what the providers report back (S17 is checked at the route).
import type { Transaction } from 'kysely';
import type { Deps } from '../context';
import type { Database } from '../db/schema';
import { DeliveryError, type DeliveryUpdate } from '../delivery/types';
import { renderVerificationEmail, renderVerificationSms } from '../delivery/templates';
import { newToken, sha256 } from '../lib/crypto';
import { appendAuditEvent } from '../repositories/audit';
import {
  attachLink,
  findDelivery,
  findDeliveryByProviderId,
  findVerificationById,
  insertDelivery,
  insertLink,
  revokeLinks,
  updateDeliveryStatus,
} from '../repositories/verifications';
import { isActive, type Verification } from '../domain/verification';
import { addJob } from '../lib/jobs';
import { applyEvent } from './lifecycle';
import { timeOutStepUp } from './step-up';

/**
 * Queues one send of a verification's link (a new delivery row and its `deliver` job) and the verification's expiry
 * at `deadline`, in the caller's transaction (R1: the jobs exist iff the change committed).
 */
export async function queueDelivery(
  trx: Transaction<Database>,
  deps: Pick<Deps, 'delivery'>,
  v: Pick<Verification, 'id' | 'tenantId' | 'channel'>,
  deadline: Date,
): Promise<void> {
  const delivery = await insertDelivery(trx, {
    tenantId: v.tenantId,
    verificationId: v.id,
    channel: v.channel,
    provider: v.channel === 'email' ? deps.delivery.email.provider : deps.delivery.sms.provider,
  });
  await addJob(
    trx,
    'deliver',
    { deliveryId: delivery.id },
    { jobKey: `deliver:${delivery.id}`, maxAttempts: 5 },
  );
  await addJob(trx, 'expire', { verificationId: v.id }, { jobKey: `expire:${v.id}`, runAt: deadline });
}

export const linkUrl = (deps: Pick<Deps, 'config'>, token: string) =>
  `${deps.config.publicBaseUrl}/v/${token}`;

/**
 * The `deliver` task. It mints the link here, so only the token's hash is ever stored (S1); a retry after a
 * crash revokes the earlier attempt's link and sends a fresh one.
 */
export async function runDeliver(
  deps: Deps,
  deliveryId: string,
  attempt: { number: number; max: number },
): Promise<'sent' | 'skipped' | 'failed'> {
  const delivery = await findDelivery(deps.db, deliveryId);
  if (!delivery || delivery.status !== 'queued') return 'skipped';
  const v = await findVerificationById(deps.db, delivery.verificationId);
  if (!v || !isActive(v.state) || v.state === 'in_progress') {
    await updateDeliveryStatus(deps.db, delivery.id, 'failed', {
      errorCode: 'superseded',
      errorMessage: 'The verification was no longer waiting for this message',
    });
    return 'skipped';
  }
  const tenant = deps.tenants.byId(v.tenantId)!;
  const now = deps.clock.now();
  const token = newToken();
  await deps.db.transaction().execute(async (trx) => {
    // Minting a link is no state change (the verification waits for this message either way): not an event.
    await revokeLinks(trx, v.id, now);
    const link = await insertLink(trx, {
      tenantId: v.tenantId,
      verificationId: v.id,
      tokenHash: sha256(token),
      expiresAt: v.deadlineAt,
    });
    await attachLink(trx, delivery.id, link.id);
  });
  const link = linkUrl(deps, token);
  const expiresInMinutes = Math.max(1, Math.round((v.deadlineAt.getTime() - now.getTime()) / 60_000));
  const to = deps.sealer.open(v.destinationSealed);
  try {
    const result =
      v.channel === 'email'
        ? await deps.delivery.email.send({
            to,
            ...renderVerificationEmail({
              helpdeskName: tenant.name,
              ticketNumber: v.ticketNumber,
              requesterName: v.requesterName,
              agentName: v.agentName,
              link,
              expiresInMinutes,
            }),
            verificationId: v.publicId,
            deliveryId: delivery.id,
          })
        : await deps.delivery.sms.send({
            to,
            body: renderVerificationSms({
              helpdeskName: tenant.name,
              ticketNumber: v.ticketNumber,
              link,
              expiresInMinutes,
            }),
            verificationId: v.publicId,
            deliveryId: delivery.id,
          });
    await deps.db.transaction().execute(async (trx) => {
      await updateDeliveryStatus(
        trx,
        delivery.id,
        'sent',
        { providerMessageId: result.providerMessageId },
        now,
      );
      // The message is out whether or not the verification still waited for it (a resend may have overtaken it).
      await applyEvent(trx, deps, v, 'delivered_to_provider', {
        set: { sends: v.sends + 1, attention: null },
        now,
      });
      await appendAuditEvent(trx, {
        tenantId: v.tenantId,
        verificationId: v.id,
        type: 'message.sent',
        actor: 'system',
        data: { channel: v.channel, provider: result.provider, destination: v.destinationMasked },
      });
    });
    return 'sent';
  } catch (err) {
    const de = err instanceof DeliveryError ? err : null;
    if ((!de || de.retriable) && attempt.number < attempt.max) throw err; // graphile-worker retries with backoff
    await failDelivery(
      deps,
      delivery.id,
      de?.code ?? 'error',
      de?.message ?? 'The provider could not be reached',
    );
    return 'failed';
  }
}

async function failDelivery(deps: Deps, deliveryId: string, code: string, message: string) {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const d = await updateDeliveryStatus(
      trx,
      deliveryId,
      'failed',
      { errorCode: code, errorMessage: message },
      now,
    );
    if (!d) return; // already final
    const v = await findVerificationById(trx, d.verificationId);
    if (!v) return;
    // Only while the verification still waits for a message (the table's states); a started one goes on.
    const attention = `Delivery failed (${v.channel === 'sms' ? 'SMS' : 'email'} to ${v.destinationMasked}): resend or use another channel`;
    await applyEvent(trx, deps, v, 'delivery_failed', {
      set: { attention },
      ticket: { reason: message },
      now,
    });
    await appendAuditEvent(trx, {
      tenantId: v.tenantId,
      verificationId: v.id,
      type: 'message.failed',
      actor: 'system',
      data: { code, provider: d.provider },
    });
  });
}

// The delivery id comes back from the provider (callback URL, custom args): only a real UUID may reach the uuid
// column, or PostgreSQL refuses the query (a 500 for a validly signed but odd callback, found by S22 fuzzing).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A status the provider reported through its signed webhook. */
export async function applyDeliveryUpdate(deps: Deps, u: DeliveryUpdate): Promise<'applied' | 'ignored'> {
  const delivery =
    (u.deliveryId && UUID.test(u.deliveryId) ? await findDelivery(deps.db, u.deliveryId) : undefined) ??
    (await findDeliveryByProviderId(deps.db, u.provider, u.providerMessageId));
  if (!delivery || delivery.provider !== u.provider) return 'ignored';
  if (u.status === 'failed') {
    await failDelivery(
      deps,
      delivery.id,
      u.errorCode ?? 'failed',
      u.errorMessage ?? 'The provider could not deliver the message',
    );
    return 'applied';
  }
  const updated = await updateDeliveryStatus(deps.db, delivery.id, u.status, {}, deps.clock.now());
  return updated ? 'applied' : 'ignored';
}

/** The `expire` task: a verification not finished by its deadline times out (F4 "Timed out"). */
export async function runExpire(deps: Deps, verificationId: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const v = await findVerificationById(trx, verificationId);
    if (!v || !isActive(v.state) || v.deadlineAt > now) return false;
    // Waiting for the manager: the attestation timed out, and the engine decides with that (Failed).
    if (v.state === 'in_progress' && v.step === 'step_up')
      return (await timeOutStepUp(trx, deps, v, now)) !== v;
    const moved = await applyEvent(trx, deps, v, 'timed_out', {
      set: {
        outcome: 'timed_out',
        completedAt: now,
        attention: 'Timed out - the requester did not complete verification',
      },
      now,
    });
    return moved !== null;
  });
}
