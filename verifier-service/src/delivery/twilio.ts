// SMS through Twilio Programmable Messaging, with the official SDK. A custom http client sends the SDK's
// requests to `baseUrl` (the local stand-in in tests) instead of https://api.twilio.com.

import twilio from 'twilio';
import { httpDeliveryError, isNetworkError, networkDeliveryError, redactDestinations } from './redact';
import { DeliveryError, type OutgoingSms, type SendResult, type SmsConnector } from './types';

type RequestOptions = Parameters<twilio.RequestClient['request']>[0];

export type TwilioConnectorConfig = {
  accountSid: string;
  authToken: string;
  /** e.g. http://127.0.0.1:4010 — the stand-in; default: Twilio's API. */
  baseUrl?: string;
  /** Full public URL Twilio posts this delivery's status callbacks to. */
  statusCallbackUrl: (deliveryId: string) => string;
  /** Request timeout (default 10 s). */
  timeoutMs?: number;
} & ({ from: string; messagingServiceSid?: undefined } | { messagingServiceSid: string; from?: undefined });

const E164 = /^\+[1-9]\d{6,14}$/;

/** Sends every request the SDK makes to `baseUrl`, keeping path and query (any *.twilio.com host). */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly base: string;

  constructor(baseUrl: string, opts?: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.base = baseUrl.replace(/\/+$/, '');
  }

  override request<TData>(opts: RequestOptions & { data?: TData }) {
    const original = new URL(opts.uri);
    if (original.hostname === 'twilio.com' || original.hostname.endsWith('.twilio.com')) {
      return super.request<TData>({ ...opts, uri: `${this.base}${original.pathname}${original.search}` });
    }
    return super.request<TData>(opts);
  }
}

// Twilio codes that describe the destination or the content: retrying the same message will not help.
const DESCRIPTIONS: Record<number, string> = {
  20003: 'authentication failed',
  21211: "invalid 'To' number",
  21408: 'region not enabled',
  21610: 'recipient unsubscribed (STOP)',
  21612: 'number not reachable',
  21614: 'not a mobile number',
  21602: 'message body required',
  21617: 'message body too long',
};

export function createTwilioConnector(config: TwilioConnectorConfig): SmsConnector {
  if (!config.accountSid?.startsWith('AC'))
    throw new Error('Twilio connector: accountSid must start with AC');
  if (!config.authToken) throw new Error('Twilio connector: authToken is required');
  if (!config.from && !config.messagingServiceSid)
    throw new Error('Twilio connector: from or messagingServiceSid is required');
  if (config.baseUrl !== undefined && !/^https?:\/\/[^/]/.test(config.baseUrl))
    throw new Error('Twilio connector: baseUrl must be an http(s) URL');

  const timeout = config.timeoutMs ?? 10_000;
  const client = twilio(config.accountSid, config.authToken, {
    httpClient: config.baseUrl
      ? new BaseUrlRequestClient(config.baseUrl, { timeout })
      : new twilio.RequestClient({ timeout }),
    autoRetry: false, // the outbox owns retries (R2)
  });

  return {
    provider: 'twilio',
    async send(msg: OutgoingSms): Promise<SendResult> {
      if (!E164.test(msg.to))
        throw new DeliveryError('invalid_number', 'destination is not an E.164 number', false, true);
      try {
        const message = await client.messages.create({
          to: msg.to,
          body: msg.body,
          statusCallback: config.statusCallbackUrl(msg.deliveryId),
          ...(config.messagingServiceSid
            ? { messagingServiceSid: config.messagingServiceSid }
            : { from: config.from! }),
        });
        return { provider: 'twilio', providerMessageId: message.sid };
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
  };
}

function toDeliveryError(err: unknown): DeliveryError {
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  if (typeof e === 'object' && e !== null && typeof e.status === 'number') {
    const status = e.status;
    const code = typeof e.code === 'number' ? e.code : undefined;
    const known = code !== undefined ? DESCRIPTIONS[code] : undefined;
    const providerText = typeof e.message === 'string' ? redactDestinations(e.message) : '';
    const message = `Twilio answered HTTP ${status}${code !== undefined ? `, code ${code}` : ''}${known ? ` (${known})` : providerText ? ` (${providerText})` : ''}`;
    return httpDeliveryError(code !== undefined ? String(code) : `http_${status}`, message, status);
  }
  if (isNetworkError(err)) return networkDeliveryError('Twilio', err);
  return new DeliveryError('client_error', 'Twilio SDK refused the message', false, true);
}
