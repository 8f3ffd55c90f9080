// Provider webhooks: signature checks (SECURITY.md S17) and normalisation into DeliveryUpdate. Pure
// functions: the route owns the raw body, the public URL and the clock.

import { EventWebhook } from '@sendgrid/eventwebhook';
import twilio from 'twilio';
import { redactDestinations } from './redact';
import type { DeliveryUpdate } from './types';

export type TwilioParams = Record<string, string | string[] | undefined>;

/**
 * Twilio's X-Twilio-Signature check (HMAC-SHA1 of the URL Twilio called plus the sorted POST parameters).
 * `url` must be the exact public URL configured as StatusCallback, query string included; `params` the
 * form-decoded body.
 */
export function verifyTwilioSignature(args: {
  authToken: string;
  url: string;
  params: TwilioParams;
  signature: string | undefined;
}): boolean {
  if (!args.authToken) throw new Error('verifyTwilioSignature: authToken is required');
  if (!args.signature) return false;
  const params: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(args.params)) if (v !== undefined) params[k] = v;
  try {
    return twilio.validateRequest(args.authToken, args.signature, args.url, params);
  } catch {
    return false; // e.g. a URL `new URL()` cannot parse
  }
}

const TWILIO_ERRORS: Record<string, string> = {
  '30001': 'Queue overflow',
  '30002': 'Account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30008': 'Unknown error',
  '30034': 'Sender not registered (A2P 10DLC)',
};

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * A Twilio status callback as an update, or null for statuses that change nothing for us (accepted,
 * queued, sending, scheduled, read, …). Twilio's callbacks carry no custom data, so the delivery id comes
 * from the callback URL the connector built (pass it as `context.deliveryId`).
 */
export function parseTwilioStatus(
  params: TwilioParams,
  context: { deliveryId?: string; now?: Date } = {},
): DeliveryUpdate | null {
  const sid = first(params.MessageSid) ?? first(params.SmsSid);
  const raw = first(params.MessageStatus) ?? first(params.SmsStatus);
  if (!sid || !raw) return null;
  let status: DeliveryUpdate['status'];
  switch (raw) {
    case 'sent':
      status = 'sent';
      break;
    case 'delivered':
      status = 'delivered';
      break;
    case 'undelivered':
    case 'failed':
      status = 'failed';
      break;
    default:
      return null;
  }
  const update: DeliveryUpdate = {
    provider: 'twilio',
    providerMessageId: sid,
    status,
    at: context.now ?? new Date(),
  };
  if (context.deliveryId) update.deliveryId = context.deliveryId;
  const errorCode = first(params.ErrorCode);
  if (status === 'failed') {
    if (errorCode) update.errorCode = errorCode;
    update.errorMessage =
      (errorCode && TWILIO_ERRORS[errorCode]) || (raw === 'undelivered' ? 'Undelivered' : 'Failed');
  }
  return update;
}

export const SENDGRID_MAX_AGE_SECONDS = 600;

/**
 * SendGrid's Signed Event Webhook check: ECDSA P-256/SHA-256 over `timestamp + rawBody`. `rawBody` must be
 * the bytes as received (not re-serialised JSON). Timestamps older than 10 minutes, or more than 10 minutes
 * ahead, are refused (replay window).
 */
export function verifySendGridSignature(args: {
  /** The verification key from SendGrid's Mail Settings (base64 DER, or PEM). */
  publicKey: string;
  rawBody: string | Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  now?: Date;
}): boolean {
  if (!args.signature || !args.timestamp || !/^\d{1,12}$/.test(args.timestamp)) return false;
  const nowSeconds = Math.floor((args.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(args.timestamp)) > SENDGRID_MAX_AGE_SECONDS) return false;
  const webhook = new EventWebhook();
  let key;
  try {
    key = webhook.convertPublicKeyToECDSA(args.publicKey);
  } catch {
    // A configuration error, not a bad request: say so loudly.
    throw new Error('verifySendGridSignature: the SendGrid public key is not a valid EC public key');
  }
  try {
    return webhook.verifySignature(key, args.rawBody, args.signature, args.timestamp);
  } catch {
    return false; // malformed signature (not base64 DER)
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * SendGrid events as updates: processed → sent, delivered → delivered, bounce/dropped → failed,
 * open → opened. Others (deferred, click, spamreport, unsubscribe, …) are skipped: deferred is a retry in
 * progress, not a result. `providerMessageId` is the X-Message-Id the send returned (the part of
 * sg_message_id before the first dot); `deliveryId` comes from our custom arg `delivery_id`.
 */
export function parseSendGridEvents(json: unknown): DeliveryUpdate[] {
  if (!Array.isArray(json)) return [];
  const updates: DeliveryUpdate[] = [];
  for (const event of json) {
    if (!isObject(event)) continue;
    const sgMessageId = event.sg_message_id;
    if (typeof sgMessageId !== 'string' || sgMessageId.length === 0) continue;
    let status: DeliveryUpdate['status'];
    switch (event.event) {
      case 'processed':
        status = 'sent';
        break;
      case 'delivered':
        status = 'delivered';
        break;
      case 'bounce':
      case 'dropped':
        status = 'failed';
        break;
      case 'open':
        status = 'opened';
        break;
      default:
        continue;
    }
    const ts = typeof event.timestamp === 'number' ? event.timestamp : Number(event.timestamp);
    const update: DeliveryUpdate = {
      provider: 'sendgrid',
      providerMessageId: sgMessageId.split('.')[0]!,
      status,
      at: Number.isFinite(ts) && ts > 0 ? new Date(ts * 1000) : new Date(),
    };
    if (typeof event.delivery_id === 'string' && event.delivery_id) update.deliveryId = event.delivery_id;
    if (status === 'failed') {
      const code = typeof event.status === 'string' && event.status ? event.status : String(event.event);
      update.errorCode = code;
      const reason = typeof event.reason === 'string' ? event.reason : String(event.event);
      update.errorMessage = redactDestinations(reason).slice(0, 300);
    }
    updates.push(update);
  }
  return updates;
}
