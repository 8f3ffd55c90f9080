// F7: the webhook of the API key that started a verification. When the verification reaches a final state, and
// again when its action completes or fails, `applyEvent` queues a `notify_webhook` job in the same transaction as
// the change (R1: the job exists iff the change committed) with the event as it was then. The job POSTs it signed
// the Standard Webhooks way (`webhook-id`, stable across retries; `webhook-timestamp`; `webhook-signature`, HMAC
// with the key's `whsec_` secret), retries network errors, 408, 429 and 5xx with the worker's backoff, and gives up
// on other answers. Delivered and failed webhooks are audited. Logs carry the URL without its query, never the
// secret or the signature (S20).
import type { Transaction } from 'kysely';
import { Webhook } from 'standardwebhooks';
import type { WebhookEvent, WebhookEventType } from '@imper/shared';
import type { Deps } from '../context';
import type { Database } from '../db/schema';
import { loggableUrl } from '../domain/api-key';
import type { Verification } from '../domain/verification';
import { addJob } from '../lib/jobs';
import { findApiKeyById, webhookOfKey } from '../repositories/api-keys';
import { appendAuditEvent } from '../repositories/audit';

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_MAX_ATTEMPTS = 8;

export interface NotifyWebhookPayload {
  apiKeyId: string;
  verificationId: string;
  /** The `webhook-id`: one per event, the same on every retry (receivers deduplicate on it) */
  msgId: string;
  event: WebhookEvent;
}

/** Queues the webhook of `moved`'s API key for this event, when the key has one (inside the change's trx). */
export async function queueWebhook(
  trx: Transaction<Database>,
  moved: Verification,
  type: WebhookEventType,
  at: Date,
): Promise<void> {
  if (!moved.apiKeyId || !(await webhookOfKey(trx, moved.apiKeyId))) return;
  const msgId = `msg_${moved.publicId}_${type.replace('verification.', '')}`;
  const payload: NotifyWebhookPayload = {
    apiKeyId: moved.apiKeyId,
    verificationId: moved.id,
    msgId,
    event: {
      type,
      timestamp: at.toISOString(),
      data: {
        publicId: moved.publicId,
        status: moved.state,
        outcome: moved.outcome,
        riskLevel: moved.riskLevel,
        action: moved.action,
        actionStatus: moved.actionStatus,
        ticket: moved.ticketNumber,
      },
    },
  };
  await addJob(
    trx,
    'notify_webhook',
    { ...payload },
    {
      jobKey: `notify_webhook:${msgId}`,
      maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    },
  );
}

export function parseNotifyWebhookPayload(p: unknown): NotifyWebhookPayload {
  const o = p as Partial<NotifyWebhookPayload> | null;
  if (
    !o ||
    typeof o.apiKeyId !== 'string' ||
    typeof o.verificationId !== 'string' ||
    typeof o.msgId !== 'string' ||
    !o.event ||
    typeof o.event.type !== 'string'
  )
    throw new Error('notify_webhook job payload is malformed');
  return o as NotifyWebhookPayload;
}

const retriable = (status: number) => status >= 500 || status === 429 || status === 408;

/** The `notify_webhook` job. Throws to be retried (with the worker's backoff); returns when done or given up. */
export async function runNotifyWebhook(
  deps: Pick<Deps, 'db' | 'sealer' | 'clock' | 'log'>,
  payload: NotifyWebhookPayload,
  attempt: { number: number; max: number },
): Promise<void> {
  const key = await findApiKeyById(deps.db, payload.apiKeyId);
  if (!key?.webhookUrl || !key.webhookSecretSealed || key.revokedAt) return; // removed or revoked since
  const url = key.webhookUrl;
  const where = loggableUrl(url);
  const body = JSON.stringify(payload.event);
  const sentAt = deps.clock.now();
  const signature = new Webhook(deps.sealer.open(key.webhookSecretSealed)).sign(payload.msgId, sentAt, body);
  let status: number | null = null;
  let problem: string | null = null;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'imper-verify-webhook/1',
        'webhook-id': payload.msgId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual', // a redirect is an answer, not an instruction to post the event elsewhere
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    status = res.status;
    await res.body?.cancel().catch(() => {});
  } catch (err) {
    problem = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'could not connect';
  }
  const log = { url: where, msgId: payload.msgId, type: payload.event.type, attempt: attempt.number };
  if (status !== null && status >= 200 && status < 300) {
    deps.log.info({ ...log, status }, 'webhook delivered');
    await audit(deps, payload, 'webhook.delivered', { url: where, status, attempt: attempt.number });
    return;
  }
  const again = (status === null || retriable(status)) && attempt.number < attempt.max;
  const reason = status === null ? problem! : `answered ${status}`;
  deps.log.warn({ ...log, status, willRetry: again }, `webhook ${reason}`);
  if (again) throw new Error(`webhook ${reason}`); // no URL in the job's last_error
  await audit(deps, payload, 'webhook.failed', {
    url: where,
    ...(status !== null ? { status } : { problem }),
    attempts: attempt.number,
  });
}

async function audit(
  deps: Pick<Deps, 'db'>,
  p: NotifyWebhookPayload,
  type: 'webhook.delivered' | 'webhook.failed',
  data: Record<string, unknown>,
) {
  const tenant = await deps.db
    .selectFrom('api_keys')
    .select('tenant_id')
    .where('id', '=', p.apiKeyId)
    .executeTakeFirst();
  await deps.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      tenantId: tenant?.tenant_id ?? null,
      verificationId: p.verificationId,
      type,
      actor: 'system',
      data: { msgId: p.msgId, event: p.event.type, ...data },
    }),
  );
}
