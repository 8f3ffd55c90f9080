// The delivery layer's contract: what the service hands a connector, what it gets back, and the normalised
// status updates the providers' webhooks turn into.

export type DeliveryProviderName = 'sendgrid' | 'twilio' | 'dev';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  verificationId: string;
  deliveryId: string;
}

export interface OutgoingSms {
  /** E.164, e.g. +14155550100 */
  to: string;
  body: string;
  verificationId: string;
  deliveryId: string;
}

export interface SendResult {
  provider: DeliveryProviderName;
  providerMessageId: string;
}

export interface EmailConnector {
  provider: DeliveryProviderName;
  send(msg: OutgoingEmail): Promise<SendResult>;
}

export interface SmsConnector {
  provider: DeliveryProviderName;
  send(msg: OutgoingSms): Promise<SendResult>;
}

/**
 * A send that did not go through. `code` is the provider's code (Twilio's numeric code as a string, or
 * `http_<status>` when the provider has none; `network` when no answer came back). `retriable`: trying again
 * later may work (5xx, 408, 429, network). `permanent`: it never will for this message (other 4xx: invalid
 * destination, rejected content, bad credentials). The message never carries the destination (S20).
 */
export class DeliveryError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly retriable: boolean,
    public readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type DeliveryUpdateStatus = 'sent' | 'delivered' | 'failed' | 'opened';

export interface DeliveryUpdate {
  provider: DeliveryProviderName;
  providerMessageId: string;
  deliveryId?: string;
  status: DeliveryUpdateStatus;
  errorCode?: string;
  errorMessage?: string;
  at: Date;
}
