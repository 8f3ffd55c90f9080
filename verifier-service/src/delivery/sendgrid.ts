// Email through SendGrid's v3 Mail Send, with the official SDK. `baseUrl` points the SDK elsewhere (the
// local stand-in in tests); without it, the SDK's own default (https://api.sendgrid.com/) is used.

import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { oneLine } from '../lib/text';
import { httpDeliveryError, isNetworkError, networkDeliveryError, redactDestinations } from './redact';
import { DeliveryError, type EmailConnector, type OutgoingEmail, type SendResult } from './types';

export interface SendGridConnectorConfig {
  apiKey: string;
  from: { email: string; name: string };
  /** e.g. http://127.0.0.1:4010 — the stand-in; default: SendGrid's API. */
  baseUrl?: string;
  /** Request timeout (default 10 s). */
  timeoutMs?: number;
}

export function createSendGridConnector(config: SendGridConnectorConfig): EmailConnector {
  if (!config.apiKey) throw new Error('SendGrid connector: apiKey is required');
  if (!config.from?.email) throw new Error('SendGrid connector: from.email is required');
  if (config.baseUrl !== undefined && !/^https?:\/\/[^/]/.test(config.baseUrl))
    throw new Error('SendGrid connector: baseUrl must be an http(s) URL');

  const client = new Client();
  client.setApiKey(config.apiKey); // resets baseUrl to the region default, so set ours after it
  if (config.baseUrl) client.setDefaultRequest('baseUrl', config.baseUrl.replace(/\/?$/, '/'));
  const mail = new MailService();
  mail.setClient(client);
  mail.setTimeout(config.timeoutMs ?? 10_000);

  return {
    provider: 'sendgrid',
    async send(msg: OutgoingEmail): Promise<SendResult> {
      let response;
      try {
        [response] = await mail.send({
          to: msg.to,
          // Header values: one line each, whoever built them (no header injection).
          from: { email: config.from.email, name: oneLine(config.from.name) },
          subject: oneLine(msg.subject),
          text: msg.text,
          html: msg.html,
          customArgs: { verification_id: msg.verificationId, delivery_id: msg.deliveryId },
          categories: ['verification'],
          trackingSettings: {
            // Click tracking would rewrite the single-use link through SendGrid's redirect domain (and let
            // their link checker "use" it); never on for verification links.
            clickTracking: { enable: false, enableText: false },
            subscriptionTracking: { enable: false },
          },
          mailSettings: { bypassListManagement: { enable: false } },
        });
      } catch (err) {
        throw toDeliveryError(err);
      }
      const header = response.headers['x-message-id'];
      const id = Array.isArray(header) ? header[0] : header;
      if (typeof id !== 'string' || id.length === 0) {
        // Accepted (2xx) but no id: the mail is on its way, so do not retry; we only lose status updates.
        throw new DeliveryError(
          'missing_message_id',
          'SendGrid accepted the email but returned no X-Message-Id',
          false,
          false,
        );
      }
      return { provider: 'sendgrid', providerMessageId: id };
    },
  };
}

interface SendGridResponseError {
  code: number;
  response?: { body?: { errors?: Array<{ message?: unknown; field?: unknown }> } };
}

function isResponseError(err: unknown): err is SendGridResponseError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'number' &&
    'response' in err
  );
}

function toDeliveryError(err: unknown): DeliveryError {
  if (isResponseError(err)) {
    const status = err.code;
    const details = (err.response?.body?.errors ?? [])
      .map((e) => [e.field, e.message].filter((x) => typeof x === 'string' && x).join(': '))
      .filter(Boolean)
      .join('; ');
    const message = redactDestinations(`SendGrid answered HTTP ${status}${details ? ` (${details})` : ''}`);
    return httpDeliveryError(`http_${status}`, message, status);
  }
  if (isNetworkError(err)) return networkDeliveryError('SendGrid', err);
  // The SDK throws plain Errors for bodies it refuses to build; the text may quote the mail, so keep it out.
  return new DeliveryError('client_error', 'SendGrid SDK refused the email', false, true);
}
