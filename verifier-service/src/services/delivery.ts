// Delivery of verification links (F3) and what the providers report back (S17 is checked at the route).
import type { Deps } from '../context';
import { DeliveryError, type DeliveryUpdate } from '../delivery/types';
import { renderVerificationEmail, renderVerificationSms } from '../delivery/templates';
import { newToken, sha256 } from '../lib/crypto';
import { appendAuditEvent } from '../repositories/audit';
import {
  findDelivery,
  findDeliveryByProviderId,
  findVerificationById,
  insertLink,
  revokeLinks,
  setAttention,
  transitionVerification,
  updateDeliveryStatus,
} from '../repositories/verifications';
import { isActive } from '../domain/verification';
import { recordTicketEvent } from './writeback';
import type { VerificationState } from '@imper/shared';

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
  const v = await findVerificationById(deps.db, delivery.verification_id);
  if (!v || !isActive(v.state as VerificationState) || v.state === 'in_progress') {
    await updateDeliveryStatus(deps.db, delivery.id, 'failed', {
      error_code: 'superseded',
      error_message: 'The verification was no longer waiting for this message',
    });
    return 'skipped';
  }
  const tenant = deps.tenants.byId(v.tenant_id)!;
  const now = deps.clock.now();
  const token = newToken();
  await deps.db.transaction().execute(async (trx) => {
    await revokeLinks(trx, v.id, now);
    const link = await insertLink(trx, {
      tenant_id: v.tenant_id,
      verification_id: v.id,
      token_hash: sha256(token),
      expires_at: v.deadline_at,
    });
    await trx.updateTable('deliveries').set({ link_id: link.id }).where('id', '=', delivery.id).execute();
  });
  const link = linkUrl(deps, token);
  const expiresInMinutes = Math.max(1, Math.round((v.deadline_at.getTime() - now.getTime()) / 60_000));
  const to = deps.sealer.open(v.destination_sealed);
  try {
    const result =
      v.channel === 'email'
        ? await deps.delivery.email.send({
            to,
            ...renderVerificationEmail({
              helpdeskName: tenant.name,
              ticketNumber: v.ticket_number,
              requesterName: v.requester_name,
              agentName: v.agent_name,
              link,
              expiresInMinutes,
            }),
            verificationId: v.public_id,
            deliveryId: delivery.id,
          })
        : await deps.delivery.sms.send({
            to,
            body: renderVerificationSms({
              helpdeskName: tenant.name,
              ticketNumber: v.ticket_number,
              link,
              expiresInMinutes,
            }),
            verificationId: v.public_id,
            deliveryId: delivery.id,
          });
    await deps.db.transaction().execute(async (trx) => {
      await updateDeliveryStatus(
        trx,
        delivery.id,
        'sent',
        { provider_message_id: result.providerMessageId },
        now,
      );
      const moved = await transitionVerification(
        trx,
        v.id,
        ['sending'],
        'sent',
        { sends: v.sends + 1, attention: null },
        now,
      );
      if (moved) await recordTicketEvent(trx, deps, moved, v.sends > 0 ? 'resent' : 'sent');
      await appendAuditEvent(trx, {
        tenantId: v.tenant_id,
        verificationId: v.id,
        type: 'message.sent',
        actor: 'system',
        data: { channel: v.channel, provider: result.provider, destination: v.destination_masked },
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
      { error_code: code, error_message: message },
      now,
    );
    if (!d) return; // already final
    const v = await findVerificationById(trx, d.verification_id);
    if (!v) return;
    if (isActive(v.state as VerificationState) && v.state !== 'in_progress') {
      const attention = `Delivery failed (${v.channel === 'sms' ? 'SMS' : 'email'} to ${v.destination_masked}): resend or use another channel`;
      await setAttention(trx, v.id, attention, now);
      await recordTicketEvent(trx, deps, { ...v, attention }, 'delivery_failed', { reason: message });
    }
    await appendAuditEvent(trx, {
      tenantId: v.tenant_id,
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
    if (!v || !isActive(v.state as VerificationState) || v.deadline_at > now) return false;
    const moved = await transitionVerification(
      trx,
      v.id,
      ['sending', 'sent', 'in_progress'],
      'timed_out',
      {
        outcome: 'timed_out',
        completed_at: now,
        attention: 'Timed out - the requester did not complete verification',
      },
      now,
    );
    if (!moved) return false;
    await revokeLinks(trx, v.id, now);
    await recordTicketEvent(trx, deps, moved, 'timed_out');
    await appendAuditEvent(trx, {
      tenantId: v.tenant_id,
      verificationId: v.id,
      type: 'verification.timed_out',
      actor: 'system',
      data: {},
    });
    return true;
  });
}
